// CryptoProvider entirely over @noble, usable on every engine: the host's provider, and the
// reference the device's native provider is checked against. Never preloaded on the device:
// importing "noble" at build time would freeze its scratch buffers.
import { gcm, hkdf, hmac, sha256 } from 'noble';
import { checkHkdfLength } from './checks.js';
import { nobleAead, nobleCore } from './noble-core.js';
import type { CryptoProvider } from './provider.js';

export { setBasePointWindow } from './noble-core.js';

export const nobleProvider: CryptoProvider = Object.freeze({
  ...nobleCore,
  name: 'noble',
  sha256: (data: Uint8Array) => sha256(data),
  sha256Stream() {
    const h = sha256.create();
    return { update: (data: Uint8Array) => void h.update(data), digest: () => h.digest() };
  },
  hmacSha256: (key: Uint8Array, data: Uint8Array) => hmac(sha256, key, data),
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number) {
    checkHkdfLength(length);
    return hkdf(sha256, ikm, salt, info, length);
  },
  aesGcm: nobleAead(gcm),
});
