// The flash the boot stage works on, as a tiny HAL with NOR semantics (erase sets a sector to
// 0xFF, program only clears bits). One instance for the internal flash (NVMC) and one for the
// external QSPI NOR; the host build backs both with simulated NOR that can lose power.
#ifndef STAGE_FLASH_H
#define STAGE_FLASH_H
#include <stdint.h>

typedef struct stage_flash {
	void *ctx;
	uint32_t size;       // bytes
	uint32_t sector;     // erase unit in bytes
	uint32_t write_unit; // program offsets and lengths are multiples of this
	// Each returns 0 on success. Addresses are offsets from the start of the device.
	int (*read)(void *ctx, uint32_t addr, void *buf, uint32_t len);
	int (*erase)(void *ctx, uint32_t addr);
	int (*program)(void *ctx, uint32_t addr, const void *buf, uint32_t len);
} stage_flash;

#endif
