// Address privacy (docs/privacy.md): the implant advertises with a resolvable private address
// (Bluetooth Core Vol 6 Part B §1.3.2.2) that its stack makes from the device's IRK and renews
// every ROTATION_S, so a scanner cannot follow one implant from place to place; a programmer
// that received the IRK (radio.irk.get, in an authenticated session) still recognises it.
// Portable: what the board's stack reported is set by the GATT adapter (device-gatt.ts).

/** Bluetooth Core Vol 3 Part C Appendix A (TGAP(private_addr_int)): 15 minutes recommended; also the SoftDevice's and NimBLE's default. */
export const ROTATION_S = 900;

/**
 * What the board's stack does with the IRK:
 * - 'rpa': it advertises a resolvable private address, renewed every ROTATION_S;
 * - 'identity-address': it makes RPAs, but the SDK's server advertises with the board's identity address (ESP32: the server's ready event did not pick the random address; privacy-esp32.c checks, docs/privacy.md);
 * - 'none': the board has no address privacy (lin);
 * - 'fault': the stack refused the setting (the radio still starts, without privacy);
 * - 'not-started': the radio has not come up yet, or the stack has not taken the setting.
 */
export type PrivacyState = 'rpa' | 'identity-address' | 'none' | 'fault' | 'not-started';

export class AddressPrivacy {
  state: PrivacyState = 'not-started';

  constructor(readonly irk: Uint8Array) {}

  /** True while advertisements carry a resolvable private address. */
  get resolvable(): boolean {
    return this.state === 'rpa';
  }
}
