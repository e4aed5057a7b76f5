// The device's status codes in plain words (docs/protocol.md §7, docs/access-control.md,
// docs/therapy.md, docs/bootloader.md): what happened and what the person can do about it.
import { AccessStatus } from '../../../modules/access/status.js';
import { Status } from '../../../modules/channel/status.js';
import type { CborValue } from '../../../modules/core/cbor.js';
import { TherapyStatus } from '../../../modules/therapy/status.js';
import { updateErrorOf } from '../../../modules/bootloader/status.js';

const MAGNET = 'Hold the magnet (on a dev board: the button) over the implant while you do this.';

const WORDS: Readonly<Record<number, string>> = Object.freeze({
  [Status.BAD_REQUEST]: 'The implant could not read the request.',
  [Status.UNKNOWN_COMMAND]: 'The implant does not know this command (its firmware may be older than this app).',
  [Status.INVALID_ARGS]: 'The implant refused the values sent: at least one is outside what it accepts.',
  [Status.ARGS_TOO_LARGE]: 'The request was too large for the implant.',
  [Status.DENIED]: 'Your role may not do this. It needs another programmer (for example a clinician or the manufacturer).',
  [Status.PRESENCE_REQUIRED]: `This needs physical presence. ${MAGNET}`,
  [Status.RATE_LIMITED]: 'The implant is limiting requests to save its battery. Wait a little and try again.',
  [Status.INVALID_STATE]: 'The implant cannot do this in its present state.',
  [Status.BUSY]: 'The implant is busy with another operation.',
  [Status.INTERNAL_ERROR]: 'The implant failed to carry this out.',
  [Status.UNKNOWN_PEER]: 'The implant does not know this programmer: pair first, or load a clinician certificate.',
  [Status.PATTERN_NOT_ALLOWED]: 'The implant is not open for pairing. Hold the magnet (button) for 3 to 10 seconds and release it, then connect within a minute.',
  [Status.AUTH_FAILED]: 'The secure handshake failed: either the implant is not the one this programmer knows, or it does not accept this programmer\'s key or certificate (it answers both alike).',
  [Status.UNEXPECTED_MESSAGE]: 'The implant did not expect that message.',
  [Status.FRAMING_ERROR]: 'The radio link garbled a message.',
  [Status.TIMEOUT]: 'The session timed out. Connect again.',
  [Status.UNSUPPORTED_PROTOCOL]: 'The implant does not offer that kind of session.',
  [Status.TOO_MANY_ERRORS]: 'The implant ended the session after too many bad messages.',
  [AccessStatus.CERT_MALFORMED]: 'The programmer certificate is damaged or not an implant certificate.',
  [AccessStatus.CERT_UNKNOWN_ISSUER]: 'The programmer certificate was issued by a manufacturer key this implant does not trust.',
  [AccessStatus.CERT_REVOKED]: 'The programmer certificate has been revoked.',
  [AccessStatus.CERT_BAD_SIGNATURE]: 'The programmer certificate signature is not valid.',
  [AccessStatus.CERT_NOT_YET_VALID]: 'The programmer certificate is not valid yet (check the implant clock).',
  [AccessStatus.CERT_EXPIRED]: 'The programmer certificate has expired.',
  [AccessStatus.CERT_KEY_MISMATCH]: 'The certificate belongs to another key than the one this programmer holds.',
  [AccessStatus.CERT_WRONG_ROLE]: 'This certificate is for a role that cannot program.',
  [AccessStatus.LOCKED_OUT]: 'Too many failed attempts: the implant waits before accepting new sessions. The magnet bypasses this.',
  [AccessStatus.PAIRING_CLOSED]: 'The pairing window is closed. Hold the magnet (button) for 3 to 10 seconds and release it, then pair within a minute.',
  [AccessStatus.BONDS_FULL]: 'The implant already has four phones paired. A clinician must remove one first.',
  [AccessStatus.EMERGENCY_ENDED]: 'Emergency access ended (time limit, or the magnet was removed).',
  [AccessStatus.TIME_REFUSED]: 'The implant refused that time (earlier than it trusts, or more than a year ahead).',
  [AccessStatus.PROVISIONING_REJECTED]: 'The device certificate does not match this implant.',
  [AccessStatus.TRUST_UPDATE_REJECTED]: 'The implant refused the trust update.',
  [AccessStatus.NO_SUCH_BOND]: 'No such paired phone.',
  [AccessStatus.PAIRING_UNCONFIRMED]: 'The pairing codes could not be confirmed, so the implant removed the new pairing. Pair again.',
  [AccessStatus.TRUST_STATE_DAMAGED]: 'The implant cannot read its trusted keys: it refuses certificates and updates until it is serviced.',
  [TherapyStatus.PARAMETER_RANGE]: 'A value is not one the implant allows for that setting.',
  [TherapyStatus.PARAMETER_CONFLICT]: 'These settings do not fit together.',
  [TherapyStatus.UNKNOWN_PARAMETER]: 'The implant does not know one of these settings.',
  [TherapyStatus.SAFE_MODE]: 'The implant is in safe mode: a clinician must clear it (with the magnet) before any programming.',
  [TherapyStatus.BATTERY]: 'The battery is near its end: only simple single-chamber settings are allowed now.',
  [TherapyStatus.INTEGRITY]: 'The stored settings failed their integrity check.',
  [TherapyStatus.THERAPY_STATE]: 'Not possible in the present pacing state (for example: no temporary programming is running).',
  [TherapyStatus.THERAPY_UNAVAILABLE]: 'The pacing engine is not answering; the backup pacer is running.',
  [TherapyStatus.BAD_MESSAGE]: 'The pacing engine refused the message.',
  [TherapyStatus.OUT_OF_PATIENT_RANGE]: 'That rate is outside the range your clinician allows (or none is set yet).',
});

const UPDATE_WORDS: Readonly<Record<string, string>> = Object.freeze({
  'wrong-role': 'Only the manufacturer may update firmware.',
  'bad-signature': 'The update package signature is not valid.',
  'unknown-key': 'The update was signed by a key this implant does not trust.',
  'revoked-key': 'The update was signed by a revoked key.',
  'wrong-vendor': 'This update is for another vendor.',
  'wrong-class': 'This update is for another board.',
  'counter-too-low': 'This update is older than what the implant already runs (anti-rollback).',
  'not-newer': 'The implant already runs this version or a newer one.',
  'oversize': 'The update is larger than the implant bank.',
  'digest-mismatch': 'The image does not match its signed digest: the package is damaged.',
  'trial-in-progress': 'A new firmware is on trial: confirm or revert it first.',
  'update-pending': 'An update is already waiting for a restart.',
  'not-staged': 'No complete update is staged yet.',
});

/** A refusal in words, with the device's own detail where it gives one (e.g. the parameter). */
export function explainStatus(status: number, result?: CborValue): string {
  const update = updateErrorOf(status);
  let text = update ? UPDATE_WORDS[update] ?? `The implant refused the update (${update}).` : WORDS[status] ?? `The implant refused (status ${status}).`;
  if (result instanceof Map) {
    const parameter = result.get('parameter');
    const message = result.get('message');
    if (typeof parameter === 'string') text += ` Setting: ${parameter}.`;
    if (typeof message === 'string') text += ` The implant says: "${message}".`;
  }
  return text;
}
