/*
 * nRF52 (SoftDevice S140): sd_ble_gap_privacy_set with device privacy, resolvable private
 * addresses from our IRK, cycled every rotation_s. The SoftDevice then advertises with the RPA
 * (Moddable's sd_ble_gap_adv_set_configure / adv_start keep working unchanged) and renews it
 * itself; the setting holds until the next call, through every advertising stop and start.
 * It must be made while not advertising (NRF_ERROR_INVALID_STATE otherwise).
 */
#if defined(nrf52)

#include "privacy.h"
#include <string.h>
#include "ble_gap.h"

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	if (irk == NULL || rotation_s == 0 || rotation_s > BLE_GAP_MAX_PRIVATE_ADDR_CYCLE_INTERVAL_S)
		return IMPLANT_PRIVACY_BAD_ARGUMENT;
	ble_gap_irk_t device_irk;
	memcpy(device_irk.irk, irk, BLE_GAP_SEC_KEY_LEN);
	ble_gap_privacy_params_t params;
	memset(&params, 0, sizeof(params));
	params.privacy_mode = BLE_GAP_PRIVACY_MODE_DEVICE_PRIVACY;
	params.private_addr_type = BLE_GAP_ADDR_TYPE_RANDOM_PRIVATE_RESOLVABLE;
	params.private_addr_cycle_s = (uint16_t)rotation_s;
	params.p_device_irk = &device_irk;
	uint32_t err = sd_ble_gap_privacy_set(&params);
	memset(&device_irk, 0, sizeof(device_irk));
	return err == NRF_SUCCESS ? IMPLANT_PRIVACY_RPA : -(int32_t)err;
}

#endif
