// Who a session is, as the access layer establishes it during the handshake. Extends the
// channel's Principal (role, key id, static key) with how the role was earned.
import type { Principal } from '../channel/commands.js';
import type { Role } from './roles.js';

export type Credential = 'certificate' | 'bond' | 'presence';

export interface AccessPrincipal extends Principal {
  readonly role: Role;
  readonly credential: Credential;
  /** Certificate serial, for the audit log. */
  readonly serial?: Uint8Array;
  /** Emergency sessions only: monotonic time at which the session's rights end. */
  readonly expiresAtMs?: number;
}

export function isAccessPrincipal(p: Principal): p is AccessPrincipal {
  return typeof (p as AccessPrincipal).credential === 'string';
}

/** Emergency access (docs/access-control.md, "Emergency access"). */
export const EMERGENCY = Object.freeze({
  /** Rights of an emergency session end this long after the handshake, presence or not. */
  SESSION_MS: 10 * 60_000,
  /**
   * Presence held without a break this long arms one emergency session (emergency.ts): longer
   * than the longest pairing press (PAIRING.HOLD_MAX_MS, 10 s), so the two gestures never overlap.
   */
  ARM_HOLD_MS: 15_000,
});
