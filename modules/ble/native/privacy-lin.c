/*
 * lin (the Moddable simulator build): no radio of its own, so no address privacy. It says so
 * (IMPLANT_PRIVACY_NONE) instead of pretending; the firmware reports "NO address privacy".
 */
#if !defined(nrf52) && !defined(ESP32)

#include "privacy.h"
#include <stddef.h>

static int32_t s_result = IMPLANT_PRIVACY_PENDING;

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	s_result = irk == NULL || rotation_s == 0 || rotation_s > IMPLANT_MAX_ROTATION_S ? IMPLANT_PRIVACY_BAD_ARGUMENT : IMPLANT_PRIVACY_NONE;
	return s_result;
}

int32_t implant_ble_privacy_state(void)
{
	return s_result;
}

int32_t implant_ble_adv_active(void)
{
	return IMPLANT_ADV_UNKNOWN;
}

#endif
