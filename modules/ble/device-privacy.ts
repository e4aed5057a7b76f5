// Turns on the stack's own resolvable private addresses through the manifest's "ffi"
// (modules/ble/native/privacy-*.c): on nRF52 sd_ble_gap_privacy_set (device privacy, RPA, our
// IRK, the cycle); on ESP32 NimBLE's host-based privacy with our IRK; on lin nothing. Moddable's
// "bleserver" has no setting for it. Called while not advertising (the SoftDevice refuses the
// change during advertising); the stack keeps it across every later stop and start.
import FFI from 'mc/ffi';
import type { PrivacyState } from './privacy.js';

const native = new FFI();

/** modules/ble/native/privacy.h: the results of implant_ble_privacy. */
const RESULT: Readonly<Record<number, PrivacyState>> = Object.freeze({ 0: 'rpa', 1: 'none', 2: 'identity-address' });

/** What the board's stack now does; 'fault' (with the stack's code) if it refused. */
export function enablePrivacy(irk: Uint8Array, rotationS: number): { state: PrivacyState; code: number } {
  const key = new Uint8Array(16);
  key.set(irk.subarray(0, 16));
  const code = native.implant_ble_privacy(key.buffer, rotationS);
  key.fill(0);
  return { state: RESULT[code] ?? 'fault', code };
}
