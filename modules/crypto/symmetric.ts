// The symmetric half of a CryptoProvider, shaped the same on every board from a hash stream, an
// HMAC and an AES-GCM: modules/crypto/device-symmetric.ts (Moddable's `crypt`: ESP32, lin) and
// platforms/nrf52/device-symmetric.ts (Oberon).
import { hkdfSha256With } from './hkdf.js';
import type { Aead, CryptoProvider, HashStream } from './provider.js';

export type SymmetricPrimitives = Pick<CryptoProvider, 'sha256' | 'sha256Stream' | 'hmacSha256' | 'hkdfSha256' | 'aesGcm'>;

/** The four primitives over a hash stream and an HMAC, as every board's symmetric half shapes them. */
export function symmetricPrimitives(stream: () => HashStream, hmac: (key: Uint8Array, data: Uint8Array) => Uint8Array, aead: Aead): SymmetricPrimitives {
  return Object.freeze({
    sha256(data: Uint8Array) {
      const s = stream();
      s.update(data);
      return s.digest();
    },
    sha256Stream: stream,
    hmacSha256: hmac,
    hkdfSha256: (ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number) => hkdfSha256With(hmac, ikm, salt, info, length),
    aesGcm: aead,
  });
}
