/*
 * lin (the Moddable simulator build): no radio of its own, so no address privacy. It says so
 * (IMPLANT_PRIVACY_NONE) instead of pretending; the firmware reports "NO address privacy".
 */
#if !defined(nrf52) && !defined(ESP32)

#include "privacy.h"
#include <stddef.h>

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	if (irk == NULL || rotation_s == 0)
		return IMPLANT_PRIVACY_BAD_ARGUMENT;
	return IMPLANT_PRIVACY_NONE;
}

#endif
