// Every way an update can be refused, each with its own code, so that a programmer (and a test)
// learns exactly why. A refused package changes no state: the running image, the boot record,
// the security counter and any staged transfer stay as they were.

export type UpdateErrorCode =
  // Who may update, and in what order (issue: wrong role, manifest after image data).
  | 'wrong-role'          // only a manufacturer session may update
  | 'manifest-not-first'  // image bytes arrived before a verified manifest
  // The signed manifest.
  | 'malformed'           // not a COSE_Sign1 / manifest of the documented shape
  | 'unknown-key'         // the key id names no trusted update key
  | 'revoked-key'         // the key id names a revoked key
  | 'bad-signature'
  | 'wrong-vendor'
  | 'wrong-class'
  | 'oversize'            // the image does not fit the bank
  | 'counter-too-low'     // security counter below the device's: a downgrade
  | 'not-newer'           // version not above the running one (same-version replays wear flash)
  | 'expired'             // past the manifest's expiry (freeze attacks)
  | 'clock-unknown'       // the manifest expires but the device does not know the time
  // The image bytes.
  | 'bad-offset'          // a chunk not at the next expected offset
  | 'truncated'           // fewer image bytes than the manifest declares
  | 'extra-bytes'         // more image bytes than the manifest declares
  | 'digest-mismatch'     // the image's SHA-256 is not the manifest's
  // The state machine.
  | 'not-staged'           // activation without a complete, verified staged image
  | 'trial-in-progress'    // the running image is on trial: confirm or revert first
  | 'update-pending'       // an activated image waits for the reboot
  | 'flash';               // the flash refused an operation

export class UpdateError extends Error {
  constructor(readonly code: UpdateErrorCode, detail = '') {
    super(detail ? `update ${code}: ${detail}` : `update ${code}`);
    this.name = 'UpdateError';
  }
}
