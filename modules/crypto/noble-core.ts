// The curve, ChaCha20-Poly1305 and random parts of the noble provider (noble-provider.ts), over
// the subset noble-device-entry.ts exports, which the XS-on-the-host tests also load as a bundle.
// Host only: the device takes these from native libraries (device-curves.ts).
import { chacha20poly1305, ed25519, randomBytes, x25519 } from 'noble';
import { checkAeadSizes, checkCanonicalX25519, X25519_KEY_BYTES } from './checks.js';
import { CryptoError } from './provider.js';
import type { Aead, CryptoProvider } from './provider.js';

export type AeadFactory = (key: Uint8Array, nonce: Uint8Array, ad?: Uint8Array) => {
  encrypt(data: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array): Uint8Array;
};

/** An Aead over a noble cipher, refusing sizes outside the contract before noble sees them. */
export function nobleAead(factory: AeadFactory): Aead {
  return {
    seal(key, nonce, ad, plaintext) {
      checkAeadSizes(key, nonce);
      return factory(key, nonce, ad).encrypt(plaintext);
    },
    open(key, nonce, ad, ciphertext) {
      checkAeadSizes(key, nonce);
      try {
        return factory(key, nonce, ad).decrypt(ciphertext);
      } catch {
        return undefined; // noble throws on a bad tag or a ciphertext shorter than the tag
      }
    },
  };
}

function x25519Shared(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  checkCanonicalX25519(publicKey);
  if (secretKey.length !== X25519_KEY_BYTES) throw new CryptoError('bad-length', 'X25519 secret key must be 32 bytes');
  try {
    return x25519.getSharedSecret(secretKey, publicKey);
  } catch {
    // With both lengths checked, noble's only refusal left is a low-order peer key, which it
    // detects before running the ladder.
    throw new CryptoError('x25519-low-order', 'X25519 public key has small order');
  }
}

export const nobleCore: Pick<CryptoProvider, 'chachaPoly' | 'x25519' | 'ed25519' | 'randomBytes'> = Object.freeze({
  chachaPoly: nobleAead(chacha20poly1305),
  x25519: Object.freeze({
    publicKey: (sk: Uint8Array) => x25519.getPublicKey(sk),
    shared: x25519Shared,
  }),
  ed25519: Object.freeze({
    publicKey: (sk: Uint8Array) => ed25519.getPublicKey(sk),
    sign: (msg: Uint8Array, sk: Uint8Array) => ed25519.sign(msg, sk),
    verify(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array) {
      try {
        return ed25519.verify(sig, msg, pk, { zip215: false });
      } catch {
        return false; // malformed signature or key encodings
      }
    },
  }),
  randomBytes: (length: number) => randomBytes(length),
});

/**
 * Sets the window of noble's precomputed Ed25519 base-point tables (X25519 public keys use the
 * same tables) and drops any already built; 1 means no table. Memory against speed, chosen per
 * platform: see docs/memory.md. Call before the first curve operation.
 */
export function setBasePointWindow(window: number): void {
  ed25519.Point.BASE.precompute(window);
}
