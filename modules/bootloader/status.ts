// Update status codes on the wire, in the range 96-127 that modules/channel/status.ts reserves
// for this concern (docs/protocol.md, "Status codes"): never renumber, only append.
import type { UpdateErrorCode } from './errors.js';

export const UpdateStatus: Readonly<Record<UpdateErrorCode, number>> = Object.freeze({
  'wrong-role': 96,
  'manifest-not-first': 97,
  'malformed': 98,
  'unknown-key': 99,
  'revoked-key': 100,
  'bad-signature': 101,
  'wrong-vendor': 102,
  'wrong-class': 103,
  'oversize': 104,
  'counter-too-low': 105,
  'not-newer': 106,
  'expired': 107,
  'clock-unknown': 108,
  'bad-offset': 109,
  'truncated': 110,
  'extra-bytes': 111,
  'digest-mismatch': 112,
  'not-staged': 113,
  'trial-in-progress': 114,
  'update-pending': 115,
  'flash': 116,
});

/** The error code a status number stands for (programmer side), or undefined outside the range. */
export function updateErrorOf(status: number): UpdateErrorCode | undefined {
  for (const code of Object.keys(UpdateStatus) as UpdateErrorCode[]) if (UpdateStatus[code] === status) return code;
  return undefined;
}
