// CryptoProvider over @noble, usable on every engine. Never preloaded on the device: importing
// "noble" at build time would freeze its scratch buffers.
import { chacha20poly1305, ed25519, gcm, hkdf, hmac, randomBytes, sha256, x25519 } from 'noble';
import type { Aead, CryptoProvider } from './provider.js';

type AeadFactory = (key: Uint8Array, nonce: Uint8Array, ad?: Uint8Array) => {
  encrypt(data: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array): Uint8Array;
};

function aead(factory: AeadFactory): Aead {
  return {
    seal: (key, nonce, ad, plaintext) => factory(key, nonce, ad).encrypt(plaintext),
    open(key, nonce, ad, ciphertext) {
      try {
        return factory(key, nonce, ad).decrypt(ciphertext);
      } catch {
        return undefined;
      }
    },
  };
}

export const nobleProvider: CryptoProvider = Object.freeze({
  name: 'noble',
  sha256: (data: Uint8Array) => sha256(data),
  sha256Stream() {
    const h = sha256.create();
    return { update: (data: Uint8Array) => void h.update(data), digest: () => h.digest() };
  },
  hmacSha256: (key: Uint8Array, data: Uint8Array) => hmac(sha256, key, data),
  hkdfSha256: (ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number) => hkdf(sha256, ikm, salt, info, length),
  aesGcm: aead(gcm),
  chachaPoly: aead(chacha20poly1305),
  x25519: {
    publicKey: (sk: Uint8Array) => x25519.getPublicKey(sk),
    shared: (sk: Uint8Array, pk: Uint8Array) => x25519.getSharedSecret(sk, pk),
  },
  ed25519: {
    publicKey: (sk: Uint8Array) => ed25519.getPublicKey(sk),
    sign: (msg: Uint8Array, sk: Uint8Array) => ed25519.sign(msg, sk),
    verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) {
      try {
        return ed25519.verify(sig, msg, pk, { zip215: false });
      } catch {
        return false;
      }
    },
  },
  randomBytes: (length: number) => randomBytes(length),
});
