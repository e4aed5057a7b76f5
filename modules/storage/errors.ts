// The one error type of the storage layer. Callers branch on `code`, never on the message.

export type StorageErrorCode =
  /** The live data would not fit even after garbage collection; nothing was written. */
  | 'full'
  /** A value, name or field is longer than the store accepts; nothing was written. */
  | 'too-large'
  /** An argument is malformed (key out of range, negative counter, non-string field). */
  | 'invalid'
  /** Stored bytes no longer match their integrity check (bit flips, tampering). */
  | 'corrupt'
  /** A sealed record did not open under the device key (tampered, or another device's). */
  | 'unsealed'
  /** A write-once record (device identity) already exists. */
  | 'exists'
  /** The flash geometry is one this format cannot use. */
  | 'geometry'
  /** The 32-bit record sequence space is exhausted (after about 4e9 writes). */
  | 'exhausted';

export class StorageError extends Error {
  constructor(readonly code: StorageErrorCode, message: string) {
    super(message);
    this.name = 'StorageError';
  }
}
