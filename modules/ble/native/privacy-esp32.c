/*
 * ESP32 (NimBLE host-based privacy, CONFIG_BT_NIMBLE_HOST_BASED_PRIVACY): our IRK as the host's
 * own IRK (ble_hs_pvcy_set_our_irk), the renewal period (ble_hs_set_rpa_timeout), then RPAs on
 * (ble_hs_pvcy_rpa_config(NIMBLE_HOST_ENABLE_RPA)), which sets the controller's random address
 * to an RPA and starts the host's renewal timer. Espressif's recipe (host/ble_hs_pvcy.h): do it
 * once the host has synced with the controller, and advertise with BLE_OWN_ADDR_RANDOM.
 *
 * Moddable's NimBLE server (modules/network/ble/nimble/modBLEServer.c) is not changed. Its
 * initialize sets ble_hs_cfg.sync_cb = nimble_on_sync and starts the host; nimble_on_sync posts
 * readyEvent to the JS machine; readyEvent takes its own address type from
 * ble_hs_id_infer_auto(0, ...), which prefers BLE_OWN_ADDR_RANDOM when a random address is set,
 * and advertises with that type ever after. implant_ble_privacy runs in the GATT server's
 * constructor right after Moddable's initialize, so before readyEvent in every case:
 * - the host has not synced yet: our sync callback goes in front of Moddable's and applies the
 *   setting in the host task before Moddable's posts readyEvent (returns PENDING);
 * - the host has synced (Moddable's second initialize calls the sync callback itself, or the
 *   host task was fast): it applies the setting now, in the JS task, before the posted
 *   readyEvent can run.
 * Either way readyEvent finds the RPA as the random address and Moddable advertises with it.
 * A sync racing the check is settled by one claim flag: whichever task takes it applies.
 * implant_ble_privacy_state (asked in onReady) reports what readyEvent ended with: RPA only if
 * the own address type it infers is random and the random address is an RPA.
 *
 * Every later sync (after a controller reset) re-runs NimBLE's startup, which puts its default
 * IRK back, so our callback applies the setting again; the IRK stays in s_irk for that (the
 * host keeps its own copies anyway: ble_hs_pvcy_irk and the resolving list). Setting our IRK
 * clears the host's resolving list; the implant does not bond (no peer IRKs to lose).
 *
 * At each renewal NimBLE's timer (ble_hs_resolv.c, ble_hs_resolv_rpa_timer_cb) calls
 * ble_gap_preempt(), which stops advertising; the ADV_COMPLETE (BLE_HS_EPREEMPTED) it reports
 * goes only to the advertiser's callback, Moddable's, which ignores it, and not to GAP event
 * listeners (ble_gap_preempt_done calls ble_gap_call_event_cb, not ble_gap_event_listener_call).
 * So implant_ble_adv_active reports ble_gap_adv_active() and the GATT server's 1 s recheck
 * restarts advertising when the stack has stopped it (docs/privacy.md, "ESP32").
 */
#if defined(ESP32)

#include "privacy.h"
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
/* NimBLE's nimble/transport.h names esp_err_t without including it. */
#include "esp_err.h"
#include "host/ble_hs.h"
#include "host/ble_hs_pvcy.h"

/* No silent fallback: without host-based privacy the SDK's server would advertise the board's fixed address. */
#if !MYNEWT_VAL(BLE_HOST_BASED_PRIVACY)
#error "privacy-esp32.c needs CONFIG_BT_NIMBLE_HOST_BASED_PRIVACY=y (platforms/esp32/sdkconfig.defaults)"
#endif

/* NimBLE declares it in its private ble_hs_pvcy_priv.h, which is not on the component's include path. */
int ble_hs_pvcy_set_our_irk(const uint8_t *irk);

/* Our IRK in NimBLE's order (least significant octet first) and the period, for every sync. */
static uint8_t s_irk[IMPLANT_IRK_BYTES];
static uint16_t s_rotation_s;
static ble_hs_sync_fn *s_next_sync;
static atomic_int s_result = IMPLANT_PRIVACY_PENDING;
/* Held by the task applying the setting (the host task in the sync callback, or the JS task). */
static atomic_flag s_applying = ATOMIC_FLAG_INIT;

static int32_t apply(void)
{
	int rc = ble_hs_pvcy_set_our_irk(s_irk);
	if (rc == 0)
		rc = ble_hs_set_rpa_timeout(s_rotation_s);
	if (rc == 0)
		rc = ble_hs_pvcy_rpa_config(NIMBLE_HOST_ENABLE_RPA);
	return rc == 0 ? IMPLANT_PRIVACY_RPA : -(int32_t)rc;
}

/* Applies unless another task is doing it now; after a sync always (the host's startup reset its IRK), otherwise only if no task has yet. */
static void apply_once(bool after_sync)
{
	if (atomic_flag_test_and_set(&s_applying))
		return;
	if (after_sync || atomic_load(&s_result) == IMPLANT_PRIVACY_PENDING)
		atomic_store(&s_result, apply());
	atomic_flag_clear(&s_applying);
}

static void implant_on_sync(void)
{
	apply_once(true);
	if (s_next_sync != NULL)
		s_next_sync();
}

int32_t implant_ble_privacy(uint8_t *irk, uint32_t rotation_s)
{
	if (irk == NULL || rotation_s == 0 || rotation_s > IMPLANT_MAX_ROTATION_S) {
		atomic_store(&s_result, IMPLANT_PRIVACY_BAD_ARGUMENT);
		return IMPLANT_PRIVACY_BAD_ARGUMENT;
	}
	for (int i = 0; i < IMPLANT_IRK_BYTES; i++)
		s_irk[i] = irk[IMPLANT_IRK_BYTES - 1 - i];
	s_rotation_s = (uint16_t)rotation_s;
	atomic_store(&s_result, IMPLANT_PRIVACY_PENDING);
	if (ble_hs_cfg.sync_cb != implant_on_sync) {
		s_next_sync = ble_hs_cfg.sync_cb;
		ble_hs_cfg.sync_cb = implant_on_sync;
	}
	/* The host sets its sync state before it reads sync_cb: if it read Moddable's callback, it is synced now. */
	atomic_thread_fence(memory_order_seq_cst);
	if (ble_hs_synced())
		apply_once(false);
	return atomic_load(&s_result);
}

int32_t implant_ble_privacy_state(void)
{
	int32_t result = atomic_load(&s_result);
	if (result != IMPLANT_PRIVACY_RPA)
		return result;
	uint8_t type;
	uint8_t address[6];
	if (ble_hs_id_infer_auto(0, &type) != 0 || type != BLE_OWN_ADDR_RANDOM)
		return IMPLANT_PRIVACY_IDENTITY_ADDRESS;
	if (ble_hs_id_copy_addr(BLE_ADDR_RANDOM, address, NULL) != 0 || (address[5] & 0xc0) != 0x40)
		return IMPLANT_PRIVACY_IDENTITY_ADDRESS;
	return IMPLANT_PRIVACY_RPA;
}

int32_t implant_ble_adv_active(void)
{
	return ble_gap_adv_active() ? 1 : 0;
}

#endif
