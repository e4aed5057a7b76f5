// The boot stage's flash on the nRF52840: the internal flash through the NVMC (the SoftDevice
// is not running yet, so no sd_flash calls) and the DK's MX25R6435F through nrfx_qspi in
// blocking mode. Every operation feeds a running watchdog: a soft reset does not stop it, and
// a copy of the whole application takes seconds.
#include <string.h>
#include "nrf.h"
#include "nrfx_nvmc.h"
#include "nrf_wdt.h"
#include "nrfx_qspi.h"
#include "hal_nrf52.h"

#define PAGE 4096u
#define MX25R_WRSR 0x01
#define MX25R_STATUS_QE 0x40 // quad enable, for the 4-wire read and program opcodes

static void feed_watchdog(void)
{
	if (!nrf_wdt_started()) return;
	for (int i = 0; i < 8; i++)
		if (nrf_wdt_reload_request_is_enabled((nrf_wdt_rr_register_t)i)) nrf_wdt_reload_request_set((nrf_wdt_rr_register_t)i);
}

static int internal_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	feed_watchdog();
	memcpy(buf, (const void *)addr, len);
	return 0;
}

static int internal_erase(void *ctx, uint32_t addr)
{
	feed_watchdog();
	if (addr % PAGE || addr < APP_START_GUARD || addr >= APP_LIMIT_GUARD) return -1;
	return nrfx_nvmc_page_erase(addr) == NRFX_SUCCESS ? 0 : -1;
}

static int internal_program(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	feed_watchdog();
	if (addr % 4 || len % 4 || addr < APP_START_GUARD || addr + len > APP_LIMIT_GUARD) return -1;
	// The buffer comes from the core's word-aligned work area.
	nrfx_nvmc_words_write(addr, buf, len / 4);
	return memcmp((const void *)addr, buf, len) ? -1 : 0;
}

static int qspi_wait(void)
{
	while (nrfx_qspi_mem_busy_check() == NRFX_ERROR_BUSY) feed_watchdog();
	return 0;
}

// nrfx_qspi moves words by EasyDMA from RAM: lengths and buffers must be 4-byte aligned.
static uint32_t bounce[1024];

static int qspi_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint32_t n = len < sizeof bounce ? len : sizeof bounce;
		feed_watchdog();
		if (nrfx_qspi_read(bounce, (n + 3) & ~3u, addr) != NRFX_SUCCESS) return -1;
		memcpy(out, bounce, n);
		out += n, addr += n, len -= n;
	}
	return 0;
}

static int qspi_erase(void *ctx, uint32_t addr)
{
	feed_watchdog();
	if (nrfx_qspi_erase(NRF_QSPI_ERASE_LEN_4KB, addr) != NRFX_SUCCESS) return -1;
	return qspi_wait();
}

static int qspi_program(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	const uint8_t *in = buf;
	while (len) {
		uint32_t n = len < sizeof bounce ? len : sizeof bounce;
		feed_watchdog();
		memcpy(bounce, in, n);
		if (nrfx_qspi_write(bounce, n, addr) != NRFX_SUCCESS || qspi_wait()) return -1;
		in += n, addr += n, len -= n;
	}
	return 0;
}

const stage_flash nrf52_internal = { 0, 0x100000u, PAGE, 4, internal_read, internal_erase, internal_program };
const stage_flash nrf52_qspi = { 0, QSPI_BYTES, PAGE, 4, qspi_read, qspi_erase, qspi_program };

int nrf52_qspi_start(void)
{
	nrfx_qspi_config_t config = NRFX_QSPI_DEFAULT_CONFIG;
	uint8_t status = MX25R_STATUS_QE;
	nrf_qspi_cinstr_conf_t wrsr = NRFX_QSPI_DEFAULT_CINSTR(MX25R_WRSR, NRF_QSPI_CINSTR_LEN_2B);
	wrsr.wren = true;
	wrsr.wipwait = true;
	if (nrfx_qspi_init(&config, NULL, NULL) != NRFX_SUCCESS) return -1;
	return nrfx_qspi_cinstr_xfer(&wrsr, &status, NULL) == NRFX_SUCCESS ? 0 : -1;
}

void nrf52_qspi_stop(void)
{
	nrfx_qspi_uninit();
}
