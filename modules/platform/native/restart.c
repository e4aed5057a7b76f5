/*
 * Restart for modules/platform/restart.ts, through XS FFI (manifest "ffi":
 * implant_restart() -> int32_t). On the boards it does not return. On lin (the simulator) there
 * is nothing to restart: it returns -1 and the caller fails instead of carrying on.
 * It replaces Moddable's ECMA-419 "system" module, whose io manifest linked drivers the firmware
 * never uses (docs/memory.md) and whose nRF52 restart is an empty function.
 */
#include <stdint.h>

int32_t implant_restart(void);

#if defined(ESP32)

#include "esp_system.h"

int32_t implant_restart(void)
{
	esp_restart();
	return -1;
}

#elif defined(nrf52)

#include "nrf.h"

int32_t implant_restart(void)
{
	NVIC_SystemReset();
	return -1;
}

#else

int32_t implant_restart(void)
{
	return -1;
}

#endif
