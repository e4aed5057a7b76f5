// A CryptoProvider that charges an EnergyMeter for every operation it performs, by the costs
// of energy.ts. The simulator and the flood test wrap the device's provider in it, so the energy
// figures come from the operations the real code runs, not from a model of them.
import type { Aead, CryptoProvider } from '../crypto/provider.js';
import type { EnergyMeter } from './energy.js';

const BLOCK = 64;

function blocks(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / BLOCK));
}

export function meteredCrypto(inner: CryptoProvider, meter: EnergyMeter): CryptoProvider {
  const aead = (a: Aead): Aead => ({
    seal(key, nonce, ad, plaintext) {
      meter.charge('crypto.aead.block', blocks(ad.length) + blocks(plaintext.length));
      return a.seal(key, nonce, ad, plaintext);
    },
    open(key, nonce, ad, ciphertext) {
      meter.charge('crypto.aead.block', blocks(ad.length) + blocks(ciphertext.length));
      return a.open(key, nonce, ad, ciphertext);
    },
  });
  return {
    name: `${inner.name}+meter`,
    sha256(data) {
      meter.charge('crypto.sha256.block', blocks(data.length + 9));
      return inner.sha256(data);
    },
    sha256Stream() {
      const stream = inner.sha256Stream();
      return {
        update(data) {
          meter.charge('crypto.sha256.block', blocks(data.length));
          stream.update(data);
        },
        digest: () => stream.digest(),
      };
    },
    hmacSha256(key, data) {
      meter.charge('crypto.sha256.block', 4 + blocks(data.length));
      return inner.hmacSha256(key, data);
    },
    hkdfSha256(ikm, salt, info, length) {
      meter.charge('crypto.sha256.block', 4 * (2 + Math.ceil(length / 32)) + blocks(ikm.length + info.length));
      return inner.hkdfSha256(ikm, salt, info, length);
    },
    aesGcm: aead(inner.aesGcm),
    chachaPoly: aead(inner.chachaPoly),
    x25519: {
      publicKey(secretKey) {
        meter.charge('crypto.x25519');
        return inner.x25519.publicKey(secretKey);
      },
      shared(secretKey, publicKey) {
        meter.charge('crypto.x25519');
        return inner.x25519.shared(secretKey, publicKey);
      },
    },
    ed25519: {
      publicKey(secretKey) {
        meter.charge('crypto.ed25519.sign');
        return inner.ed25519.publicKey(secretKey);
      },
      sign(message, secretKey) {
        meter.charge('crypto.ed25519.sign');
        return inner.ed25519.sign(message, secretKey);
      },
      verify(signature, message, publicKey) {
        meter.charge('crypto.ed25519.verify');
        return inner.ed25519.verify(signature, message, publicKey);
      },
    },
    randomBytes: (length) => inner.randomBytes(length),
  };
}
