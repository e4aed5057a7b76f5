/*
 * nRF52 (SoftDevice S140): sd_ble_gap_privacy_set with device privacy, resolvable private
 * addresses from our IRK, cycled every rotation_s. Moddable's nrf52 server enables the
 * SoftDevice synchronously in its initialize (nrf_sdh_ble_enable in modBLEPlatformInitialize),
 * so the call is valid in the GATT server's constructor, before any advertising (the SoftDevice
 * refuses a privacy change while advertising: NRF_ERROR_INVALID_STATE). The SoftDevice then
 * advertises with the RPA (Moddable's sd_ble_gap_adv_set_configure / adv_start are unchanged)
 * and renews it in place, without stopping advertising; the setting holds until the next call.
 * ble_gap_irk_t is least significant octet first (the peer manager's ah() in id_manager.c
 * reverses it into the ECB key), so our IRK goes in reversed.
 */
#if defined(nrf52)

#include "privacy.h"
#include <string.h>
#include "ble_gap.h"

static int32_t s_result = IMPLANT_PRIVACY_PENDING;

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	if (irk == NULL || rotation_s == 0 || rotation_s > BLE_GAP_MAX_PRIVATE_ADDR_CYCLE_INTERVAL_S) {
		s_result = IMPLANT_PRIVACY_BAD_ARGUMENT;
		return s_result;
	}
	ble_gap_irk_t device_irk;
	for (int i = 0; i < BLE_GAP_SEC_KEY_LEN; i++)
		device_irk.irk[i] = irk[BLE_GAP_SEC_KEY_LEN - 1 - i];
	ble_gap_privacy_params_t params;
	memset(&params, 0, sizeof(params));
	params.privacy_mode = BLE_GAP_PRIVACY_MODE_DEVICE_PRIVACY;
	params.private_addr_type = BLE_GAP_ADDR_TYPE_RANDOM_PRIVATE_RESOLVABLE;
	params.private_addr_cycle_s = (uint16_t)rotation_s;
	params.p_device_irk = &device_irk;
	uint32_t err = sd_ble_gap_privacy_set(&params);
	memset(&device_irk, 0, sizeof(device_irk));
	s_result = err == NRF_SUCCESS ? IMPLANT_PRIVACY_RPA : -(int32_t)err;
	return s_result;
}

int32_t implant_ble_privacy_state(void)
{
	return s_result;
}

/* The SoftDevice renews the address while advertising: advertising never stops for it. */
int32_t implant_ble_adv_active(void)
{
	return IMPLANT_ADV_UNKNOWN;
}

#endif
