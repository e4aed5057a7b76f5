// Short authentication string (docs/access-control.md, "Comparing codes"): six digits derived
// from the Noise handshake hash, shown on the device console (and as LED blinks) and in the app.
// Both ends compute it from the same transcript, so a man in the middle who ran two separate
// handshakes shows two different codes with probability 1 - 10^-6 (he cannot choose h).
import { concatBytes, utf8 } from '../core/bytes.js';

const SAS_LABEL = 'implant/sas/v1';
const SAS_DIGITS = 6;

export function shortAuthString(sha256: (data: Uint8Array) => Uint8Array, handshakeHash: Uint8Array): string {
  const d = sha256(concatBytes(utf8(SAS_LABEL), handshakeHash));
  // 32 bits reduced mod 10^6: the bias is below 2^-12 per value, irrelevant for a visual check.
  const n = ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  return String(n % 10 ** SAS_DIGITS).padStart(SAS_DIGITS, '0');
}

/** The code as LED blink counts, one group per digit; 0 is shown as ten blinks. */
export function sasBlinkGroups(sas: string): number[] {
  return Array.from(sas, (digit) => (digit === '0' ? 10 : Number(digit)));
}
