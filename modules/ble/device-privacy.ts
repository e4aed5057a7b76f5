// Turns on the stack's own resolvable private addresses through the manifest's "ffi"
// (modules/ble/native/privacy-*.c, privacy.h): on nRF52 sd_ble_gap_privacy_set (device privacy,
// RPA, our IRK, the cycle); on ESP32 NimBLE's host-based privacy with our IRK, applied when the
// host syncs with the controller; on lin nothing. Moddable's "bleserver" has no setting for it.
// requestPrivacy runs in the GATT server's constructor, right after the SDK's server initialised
// the stack and before its ready event (on ESP32 that event picks the address type it advertises
// with); privacyState gives the outcome in onReady. The stack keeps the setting across every
// later stop and start of advertising.
import FFI from 'mc/ffi';
import type { PrivacyState } from './privacy.js';

const native = new FFI();

/** modules/ble/native/privacy.h: the results of implant_ble_privacy / implant_ble_privacy_state (3: no result yet). */
const RESULT: Readonly<Record<number, PrivacyState>> = Object.freeze({ 0: 'rpa', 1: 'none', 2: 'identity-address', 3: 'not-started' });

/** Gives the stack the IRK (a copy, wiped after the call) and the period; privacyState() tells the outcome. */
export function requestPrivacy(irk: Uint8Array, rotationS: number): void {
  const key = new Uint8Array(16);
  key.set(irk.subarray(0, 16));
  native.implant_ble_privacy(key.buffer, rotationS);
  key.fill(0);
}

/** What the board's stack now does; 'fault' (with the stack's code) if it refused. */
export function privacyState(): { state: PrivacyState; code: number } {
  const code = native.implant_ble_privacy_state();
  return { state: RESULT[code] ?? 'fault', code };
}

/** True when the stack says it has stopped advertising (NimBLE at each address renewal); false where it cannot tell or never does. */
export function stackStoppedAdvertising(): boolean {
  return native.implant_ble_adv_active() === 0;
}
