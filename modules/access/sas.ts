// The pairing code (docs/access-control.md, "Comparing codes"): six digits the device shows on
// its console (and as LED blinks) and the phone shows on its screen after an XX pairing. It is
// not a function of the handshake hash alone: the initiator writes XX message 3 last, so a man
// in the middle on the implant leg could try many message-3 values (static keys) until h gave
// the code of his other leg. As in BLE Numeric Comparison (Core 5.4 Vol 3 Part H §2.3.5.6.2),
// the phone first commits to a random nonce, the device then sends its own nonce, the phone
// reveals its nonce, and the code covers h and both nonces. Whoever moves last is bound by a
// commitment made before the other side's random choice, so no one can steer the code.
// @req SEC-07 (docs/traceability.md)
import { concatBytes, utf8 } from '../core/bytes.js';

type Sha256 = (data: Uint8Array) => Uint8Array;

const COMMIT_LABEL = 'implant/pairing-commit/v1';
const CODE_LABEL = 'implant/pairing-code/v1';
const CODE_DIGITS = 6;
/** Both nonces: 128 random bits each. */
export const PAIRING_NONCE_BYTES = 16;
export const PAIRING_COMMITMENT_BYTES = 32;

/** The phone's commitment: SHA-256(label || h || phone nonce), sent before it learns the device nonce. */
export function pairingCommitment(sha256: Sha256, handshakeHash: Uint8Array, phoneNonce: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(COMMIT_LABEL), handshakeHash, phoneNonce));
}

/** The six digits: SHA-256(label || h || phone nonce || device nonce), first 4 bytes big-endian mod 10^6. */
export function pairingCode(sha256: Sha256, handshakeHash: Uint8Array, phoneNonce: Uint8Array, deviceNonce: Uint8Array): string {
  const d = sha256(concatBytes(utf8(CODE_LABEL), handshakeHash, phoneNonce, deviceNonce));
  // 32 bits reduced mod 10^6: no value is likelier than (1 + 2^-12) * 10^-6.
  const n = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  return String(n % 10 ** CODE_DIGITS).padStart(CODE_DIGITS, '0');
}

/** The code as LED blink counts, one group per digit; 0 is shown as ten blinks. */
export function sasBlinkGroups(sas: string): number[] {
  return Array.from(sas, (digit) => (digit === '0' ? 10 : Number(digit)));
}
