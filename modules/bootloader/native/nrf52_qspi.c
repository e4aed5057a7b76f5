/*
 * The nRF52840 DK's external flash (MX25R6435F, 8 MiB) for the update's QSPI slots and boot
 * record (modules/bootloader/device-nrf52-boot.ts through XS FFI; also the boot stage's QSPI
 * HAL, platforms/nrf52/boot-stage). nrfx_qspi in blocking mode, built from the nRF5 SDK (the
 * Moddable build leaves the driver off in its sdk_config.h, so the driver's translation unit is
 * compiled here with it on). EasyDMA needs word-aligned RAM, so data passes through a static bounce buffer. Unlike an
 * NVMC erase, a QSPI erase does not stall the CPU: only this call waits.
 *   implant_qspi_open()                   chip size in bytes, or -1 (no chip: lin, the host)
 *   implant_qspi_read(buf, addr, len)     0 or -1; any range
 *   implant_qspi_write(buf, addr, len)    0 or -1; programs (NOR: only clears bits); addr and len multiples of 4
 *   implant_qspi_erase(addr)              0 or -1; the 4 KiB sector at addr
 */
#include "nrf52_qspi.h"

#if defined(nrf52)

#include <string.h>
/* Both switches: the SDK's legacy layer (apply_old_config.h) copies QSPI_ENABLED over the nrfx one. */
#undef QSPI_ENABLED
#define QSPI_ENABLED 1
#undef NRFX_QSPI_ENABLED
#define NRFX_QSPI_ENABLED 1
#include "nrfx_qspi.c"

#define CHIP_BYTES 0x800000
#define MX25R_WRSR 0x01
#define MX25R_STATUS_QE 0x40 /* quad enable, for the 4-wire opcodes below */

static uint32_t bounce[256];
static int opened;

static int32_t wait_idle(void)
{
	nrfx_err_t err;
	while ((err = nrfx_qspi_mem_busy_check()) == NRFX_ERROR_BUSY) {}
	return err == NRFX_SUCCESS ? 0 : -1;
}

int32_t implant_qspi_open(void)
{
	/* PCA10056 wiring; 16 MHz, READ4IO / PP4IO, 24-bit addresses. */
	nrfx_qspi_config_t config = {
		.xip_offset = 0,
		.pins = { .sck_pin = 19, .csn_pin = 17, .io0_pin = 20, .io1_pin = 21, .io2_pin = 22, .io3_pin = 23 },
		.prot_if = { .readoc = NRF_QSPI_READOC_READ4IO, .writeoc = NRF_QSPI_WRITEOC_PP4IO, .addrmode = NRF_QSPI_ADDRMODE_24BIT, .dpmconfig = false },
		.phy_if = { .sck_delay = 1, .dpmen = false, .spi_mode = NRF_QSPI_MODE_0, .sck_freq = NRF_QSPI_FREQ_32MDIV2 },
		.irq_priority = 6,
	};
	uint8_t status = MX25R_STATUS_QE;
	nrf_qspi_cinstr_conf_t wrsr = NRFX_QSPI_DEFAULT_CINSTR(MX25R_WRSR, NRF_QSPI_CINSTR_LEN_2B);
	if (opened) return CHIP_BYTES;
	wrsr.wren = true;
	wrsr.wipwait = true;
	if (nrfx_qspi_init(&config, NULL, NULL) != NRFX_SUCCESS) return -1;
	if (nrfx_qspi_cinstr_xfer(&wrsr, &status, NULL) != NRFX_SUCCESS) {
		nrfx_qspi_uninit();
		return -1;
	}
	opened = 1;
	return CHIP_BYTES;
}

static int32_t in_chip(uint32_t address, uint32_t length)
{
	return opened && !(address & 3) && !(length & 3) && address <= CHIP_BYTES && length <= CHIP_BYTES - address;
}

int32_t implant_qspi_read(uint8_t *buffer, uint32_t address, uint32_t length)
{
	if (!buffer || !opened || address > CHIP_BYTES || length > CHIP_BYTES - address) return -1;
	while (length) {
		/* Any range: the enclosing words are read and the asked-for bytes copied out. */
		uint32_t skip = address & 3, n = sizeof bounce - skip;
		if (n > length) n = length;
		if (nrfx_qspi_read(bounce, (skip + n + 3) & ~3u, address - skip) != NRFX_SUCCESS) return -1;
		memcpy(buffer, (uint8_t *)bounce + skip, n);
		buffer += n, address += n, length -= n;
	}
	return 0;
}

int32_t implant_qspi_write(uint8_t *buffer, uint32_t address, uint32_t length)
{
	if (!buffer || !in_chip(address, length)) return -1;
	while (length) {
		/* One page program at a time: the MX25R wraps a program that crosses a 256-byte page. */
		uint32_t n = 256 - (address & 255);
		if (n > length) n = length;
		memcpy(bounce, buffer, n);
		if (nrfx_qspi_write(bounce, n, address) != NRFX_SUCCESS || wait_idle()) return -1;
		buffer += n, address += n, length -= n;
	}
	return 0;
}

int32_t implant_qspi_erase(uint32_t address)
{
	if ((address & 0xFFF) || !in_chip(address, 0x1000)) return -1;
	if (nrfx_qspi_erase(NRF_QSPI_ERASE_LEN_4KB, address) != NRFX_SUCCESS) return -1;
	return wait_idle();
}

#else

int32_t implant_qspi_open(void) { return -1; }
int32_t implant_qspi_read(uint8_t *buffer, uint32_t address, uint32_t length) { return -1; }
int32_t implant_qspi_write(uint8_t *buffer, uint32_t address, uint32_t length) { return -1; }
int32_t implant_qspi_erase(uint32_t address) { return -1; }

#endif
