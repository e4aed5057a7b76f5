// The boot stage's flash on the nRF52840: the internal flash through the NVMC (the SoftDevice
// is not running yet, so no sd_flash calls) and the DK's MX25R6435F through the firmware's
// nrfx_qspi calls. Every operation feeds a running watchdog: a soft reset does not stop it, and
// a copy of the whole application takes seconds.
#include <string.h>
#include "nrf.h"
#include "nrfx_nvmc.h"
#include "nrf_wdt.h"
#include "nrfx_qspi.h"
#include "nrf52_qspi.h"
#include "hal_nrf52.h"

#define PAGE 4096u

void nrf52_feed_watchdog(void)
{
	if (!nrf_wdt_started()) return;
	for (int i = 0; i < 8; i++)
		if (nrf_wdt_reload_request_is_enabled((nrf_wdt_rr_register_t)i)) nrf_wdt_reload_request_set((nrf_wdt_rr_register_t)i);
}

static int internal_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	nrf52_feed_watchdog();
	memcpy(buf, (const void *)addr, len);
	return 0;
}

// The application region and the installed-manifest page; nothing else.
static int writable(uint32_t addr, uint32_t len)
{
	return (addr >= APP_START_GUARD && addr <= APP_LIMIT_GUARD && len <= APP_LIMIT_GUARD - addr) ||
		(addr >= INSTALLED_OFFSET && addr + len <= INSTALLED_OFFSET + PAGE);
}

static int internal_erase(void *ctx, uint32_t addr)
{
	nrf52_feed_watchdog();
	if (addr % PAGE || !writable(addr, PAGE)) return -1;
	return nrfx_nvmc_page_erase(addr) == NRFX_SUCCESS ? 0 : -1;
}

static int internal_program(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	nrf52_feed_watchdog();
	if (addr % 4 || len % 4 || !writable(addr, len)) return -1;
	// The buffer comes from the core's word-aligned work area.
	nrfx_nvmc_words_write(addr, buf, len / 4);
	return memcmp((const void *)addr, buf, len) ? -1 : 0;
}

// The firmware's own QSPI calls (modules/bootloader/native/nrf52_qspi.c), a sector at a time
// so the watchdog is fed between them.
static int qspi_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
	for (uint32_t done = 0; done < len; done += PAGE) {
		nrf52_feed_watchdog();
		if (implant_qspi_read((uint8_t *)buf + done, addr + done, len - done < PAGE ? len - done : PAGE)) return -1;
	}
	return 0;
}

static int qspi_erase(void *ctx, uint32_t addr)
{
	nrf52_feed_watchdog();
	return implant_qspi_erase(addr) ? -1 : 0;
}

static int qspi_program(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
	for (uint32_t done = 0; done < len; done += PAGE) {
		nrf52_feed_watchdog();
		if (implant_qspi_write((uint8_t *)buf + done, addr + done, len - done < PAGE ? len - done : PAGE)) return -1;
	}
	return 0;
}

const stage_flash nrf52_internal = { 0, 0x100000u, PAGE, 4, internal_read, internal_erase, internal_program };
const stage_flash nrf52_qspi = { 0, QSPI_BYTES, PAGE, 4, qspi_read, qspi_erase, qspi_program };

int nrf52_qspi_start(void)
{
	return implant_qspi_open() == QSPI_BYTES ? 0 : -1;
}

void nrf52_qspi_stop(void)
{
	nrfx_qspi_uninit();
}
