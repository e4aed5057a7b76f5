// The crypto primitives through the noble provider, the path that runs in XS on every target
// (on the device SHA-256, HKDF and AES-GCM switch to native crypt; see docs/crypto.md).
// Fixed inputs, so every run does the same work.
import { nobleProvider as p } from '../../modules/crypto/noble-provider.js';
import type { Aead } from '../../modules/crypto/provider.js';
import { benchCase } from './types.js';

const bytes = (length: number, seed: number) => {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i * 37) & 0xff;
  return out;
};

/** BLE's largest single-packet ATT payload with a 247-byte MTU, less the 3-byte ATT header. */
const BLE_PAYLOAD = 244;

function sealOpen(name: string, aead: Aead) {
  return benchCase({
    name,
    setup: () => ({ key: bytes(32, 1), nonce: bytes(12, 2), ad: bytes(32, 3), message: bytes(BLE_PAYLOAD, 4) }),
    run({ key, nonce, ad, message }) {
      const opened = aead.open(key, nonce, ad, aead.seal(key, nonce, ad, message));
      if (!opened) throw new Error('bench: AEAD round trip failed');
      return opened;
    },
  });
}

export const cases = [
  benchCase({
    name: 'x25519.shared',
    setup: () => ({ secret: bytes(32, 5), peer: p.x25519.publicKey(bytes(32, 6)) }),
    run: ({ secret, peer }) => p.x25519.shared(secret, peer),
  }),
  benchCase({
    name: 'ed25519.verify',
    setup() {
      const secret = bytes(32, 7), message = bytes(64, 8);
      return { publicKey: p.ed25519.publicKey(secret), message, signature: p.ed25519.sign(message, secret) };
    },
    run({ publicKey, message, signature }) {
      if (!p.ed25519.verify(signature, message, publicKey)) throw new Error('bench: signature did not verify');
      return true;
    },
  }),
  benchCase({
    name: 'sha256.64KiB',
    setup: () => bytes(64 * 1024, 9),
    run: (data) => p.sha256(data),
  }),
  sealOpen('chacha20poly1305.seal_open.244B', p.chachaPoly),
  sealOpen('aesgcm.seal_open.244B', p.aesGcm),
  benchCase({
    name: 'hkdf_sha256.64B',
    setup: () => ({ ikm: bytes(32, 10), salt: bytes(32, 11), info: bytes(16, 12) }),
    run: ({ ikm, salt, info }) => p.hkdfSha256(ikm, salt, info, 64),
  }),
];
