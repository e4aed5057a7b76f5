// Access-control status codes, in the range 32-63 that modules/channel/status.ts reserves for
// this concern. Part of the wire protocol (docs/access-control.md): never renumber, only append.
// Generic refusals (DENIED, PRESENCE_REQUIRED, RATE_LIMITED, UNKNOWN_PEER, ...) are the channel's.

export const AccessStatus = Object.freeze({
  /** Certificate is not a COSE_Sign1 over well-formed claims. */
  CERT_MALFORMED: 32,
  /** Issuer key id names no root slot of this device. */
  CERT_UNKNOWN_ISSUER: 33,
  /** Issuer or subject key id is on the revocation list. */
  CERT_REVOKED: 34,
  CERT_BAD_SIGNATURE: 35,
  CERT_NOT_YET_VALID: 36,
  CERT_EXPIRED: 37,
  /** The certificate's subject key is not the Noise static key of this handshake. */
  CERT_KEY_MISMATCH: 38,
  /** A certificate for a role that cannot be used here (a device certificate presented by a programmer). */
  CERT_WRONG_ROLE: 39,
  /** Too many failed authentications: wait until the backoff ends (survives reboot). */
  LOCKED_OUT: 40,
  /** A new phone tried to bond outside the pairing window. */
  PAIRING_CLOSED: 41,
  /** The bond table is full; a clinician or a bonded phone must remove one first. */
  BONDS_FULL: 42,
  /** The emergency session outlived its time limit or presence was released. */
  EMERGENCY_ENDED: 43,
  /** The new time is below the trusted floor, or further than the allowed jump above the best known time. */
  TIME_REFUSED: 44,
  /** Provisioning data does not match this device (certificate for another key, wrong role). */
  PROVISIONING_REJECTED: 45,
  /** A trust update (root rotation, revocation) whose signature, sequence or content is refused. */
  TRUST_UPDATE_REJECTED: 46,
  /** The named bond does not exist. */
  NO_SUCH_BOND: 47,
  /** The pairing-code exchange failed: a reveal that does not open its commitment (the bond is removed). */
  PAIRING_UNCONFIRMED: 48,
  /** The saved trust anchors did not open: certificates, manifests and trust updates are refused (service needed). */
  TRUST_STATE_DAMAGED: 49,
});
