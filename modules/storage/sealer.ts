// Sealing for data at rest: AES-256-GCM under a key derived from the device secret, a fresh
// random nonce per write, and the record key as associated data, so a sealed record moved to
// another key (a bond slot copied over the identity, say) no longer opens.
// @req SEC-14 (docs/traceability.md)
import { concatBytes } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { StorageError } from './errors.js';

const NONCE = 12;
const TAG = 16;
/** Bytes sealing adds to a value. */
export const SEAL_OVERHEAD = NONCE + TAG;

export class Sealer {
  constructor(private readonly crypto: CryptoProvider, private readonly key: Uint8Array) {
    if (key.length !== 32) throw new StorageError('invalid', 'the sealing key must be 32 bytes');
  }

  seal(recordKey: number, plaintext: Uint8Array): Uint8Array {
    const nonce = this.crypto.randomBytes(NONCE);
    return concatBytes(nonce, this.crypto.aesGcm.seal(this.key, nonce, associatedData(recordKey), plaintext));
  }

  /** Throws 'unsealed' when the tag does not verify. */
  open(recordKey: number, sealed: Uint8Array): Uint8Array {
    const plain = sealed.length < SEAL_OVERHEAD ? undefined
      : this.crypto.aesGcm.open(this.key, sealed.subarray(0, NONCE), associatedData(recordKey), sealed.subarray(NONCE));
    if (!plain) throw new StorageError('unsealed', `record ${recordKey} does not open under the device key`);
    return plain;
  }
}

function associatedData(recordKey: number): Uint8Array {
  // "implant-seal-v1" then the record key, big-endian.
  const label = [0x69, 0x6d, 0x70, 0x6c, 0x61, 0x6e, 0x74, 0x2d, 0x73, 0x65, 0x61, 0x6c, 0x2d, 0x76, 0x31];
  return Uint8Array.from([...label, recordKey >>> 8, recordKey & 0xff]);
}
