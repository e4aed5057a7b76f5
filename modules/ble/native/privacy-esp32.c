/*
 * ESP32 (NimBLE, host-based privacy: CONFIG_BT_NIMBLE_HOST_BASED_PRIVACY): our IRK as the host's
 * own IRK (ble_hs_pvcy_set_our_irk), then RPA generation on (ble_hs_pvcy_rpa_config with
 * NIMBLE_HOST_ENABLE_RPA), which sets the random address to an RPA and renews it every
 * CONFIG_BT_NIMBLE_RPA_TIMEOUT seconds: NimBLE takes no period at run time, so the sdkconfig
 * sets it and rotation_s is only checked here.
 * The RPA is used only by advertising started with own_addr_type BLE_OWN_ADDR_RANDOM. Moddable's
 * NimBLE server advertises with ble->bda.type, which its readyEvent infers with
 * ble_hs_id_infer_auto(0, ...): the ESP32's public address. So this returns
 * IMPLANT_PRIVACY_IDENTITY_ADDRESS, and the firmware reports no privacy, until the SDK's server
 * uses the random address (docs/privacy.md, "ESP32").
 */
#if defined(ESP32)

#include "privacy.h"
#include <stddef.h>
#include "host/ble_hs.h"
#include "host/ble_hs_pvcy.h"

#if MYNEWT_VAL(BLE_HOST_BASED_PRIVACY)
/* NimBLE declares it in its private ble_hs_pvcy_priv.h, which is not on the component's include path. */
int ble_hs_pvcy_set_our_irk(const uint8_t *irk);
#endif

/* host/ble_hs_pvcy.h names these values only in its comment. */
#define IMPLANT_NIMBLE_ENABLE_RPA 1
/* The ceiling the SoftDevice takes (BLE_GAP_MAX_PRIVATE_ADDR_CYCLE_INTERVAL_S, 11.5 h), for the same rules on both boards. */
#define IMPLANT_MAX_ROTATION_S 41400

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	if (irk == NULL || rotation_s == 0 || rotation_s > IMPLANT_MAX_ROTATION_S)
		return IMPLANT_PRIVACY_BAD_ARGUMENT;
#if MYNEWT_VAL(BLE_HOST_BASED_PRIVACY)
	int rc = ble_hs_pvcy_set_our_irk(irk);
	if (rc == 0)
		rc = ble_hs_pvcy_rpa_config(IMPLANT_NIMBLE_ENABLE_RPA);
	return rc == 0 ? IMPLANT_PRIVACY_IDENTITY_ADDRESS : -(int32_t)rc;
#else
	/* Built without CONFIG_BT_NIMBLE_HOST_BASED_PRIVACY: the host makes no RPAs. */
	return IMPLANT_PRIVACY_NONE;
#endif
}

#endif
