// The keys of data at rest, derived from one 32-byte device secret with HKDF-SHA256 (RFC 5869).
// On a dev board the secret is a random value kept in the record store itself, which protects
// nothing against someone who can read the flash; production keeps it out of readable flash
// (ESP32 flash encryption with an eFuse key, or a secure element next to an nRF52). See
// docs/storage.md, "Data at rest".
import { equalBytes, utf8 } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { StorageError } from './errors.js';
import { RecordKeys } from './record-keys.js';
import type { RecordStore } from './record-store.js';

export interface DeviceKeys {
  /** AES-256-GCM key for sealed records. */
  readonly seal: Uint8Array;
  /** HMAC-SHA256 key of the audit chain. */
  readonly audit: Uint8Array;
}

export function deriveDeviceKeys(crypto: CryptoProvider, secret: Uint8Array): DeviceKeys {
  if (secret.length !== 32) throw new StorageError('invalid', 'the device secret must be 32 bytes');
  return Object.freeze({
    seal: crypto.hkdfSha256(secret, undefined, utf8('implant/storage/seal/v1'), 32),
    audit: crypto.hkdfSha256(secret, undefined, utf8('implant/audit/mac/v1'), 32),
  });
}

/**
 * The dev-board secret: read from the record store (two copies, so one flipped bit does not
 * orphan every sealed record), created from the RNG on first boot, a lost copy rewritten.
 */
export function loadOrCreateDeviceSecret(store: RecordStore, crypto: CryptoProvider): { secret: Uint8Array; created: boolean } {
  const copies = [RecordKeys.deviceSecret, RecordKeys.deviceSecretCopy];
  const found = copies.map((key) => readSecret(store, key));
  const secret = found[0] ?? found[1];
  if (secret) {
    copies.forEach((key, i) => {
      if (found[i] && equalBytes(found[i]!, secret)) return;
      try {
        store.put(key, secret);
      } catch (error) {
        if (!(error instanceof StorageError)) throw error; // repair is best effort; the boot goes on
      }
    });
    return { secret, created: false };
  }
  const fresh = crypto.randomBytes(32);
  for (const key of copies) store.put(key, fresh);
  return { secret: fresh, created: true };
}

function readSecret(store: RecordStore, key: number): Uint8Array | undefined {
  try {
    const value = store.get(key);
    return value && value.length === 32 ? value : undefined;
  } catch (error) {
    if (error instanceof StorageError) return undefined;
    throw error;
  }
}
