// The Noise crypto functions (rev 34 §4) for DH 25519, hash SHA256 and cipher AESGCM or ChaChaPoly,
// all from the injected CryptoProvider. Only these suites exist here: both ciphers share
// X25519 and SHA-256, so the device needs a single native digest and no Curve448 or BLAKE2.
import type { Aead, CryptoProvider } from '../../crypto/provider.js';
import { NoiseError } from './errors.js';

/** Stands for 2^64-1, which a JS number cannot hold exactly; only rekey uses it. */
const REKEY_NONCE = -1;

export type NoiseCipherName = 'AESGCM' | 'ChaChaPoly';

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export interface NoiseSuite {
  /** Suffix of the protocol name, e.g. '25519_AESGCM_SHA256'. */
  readonly name: string;
  readonly cipherName: NoiseCipherName;
  readonly dhLen: 32;
  readonly hashLen: 32;
  generateKeyPair(): KeyPair;
  keyPairFromSecret(secretKey: Uint8Array): KeyPair;
  /** X25519; throws NoiseError('invalid-key') for a low-order peer key (rev 34 §12.1 allows rejecting). */
  dh(keyPair: KeyPair, publicKey: Uint8Array): Uint8Array;
  /** ENCRYPT(k, n, ad, plaintext) with the cipher's nonce encoding (§12.3, §12.4). */
  encrypt(k: Uint8Array, n: number, ad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** DECRYPT; undefined when authentication fails. */
  decrypt(k: Uint8Array, n: number, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined;
  /** REKEY(k): the first 32 bytes of ENCRYPT(k, 2^64-1, zerolen, zeros) (§4.2). */
  rekey(k: Uint8Array): Uint8Array;
  hash(data: Uint8Array): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
}

/** 96-bit nonce: 32 zero bits then the 64-bit counter, little-endian for ChaChaPoly, big-endian for AESGCM. */
function nonceBytes(n: number, bigEndian: boolean): Uint8Array {
  const out = new Uint8Array(12);
  if (n === REKEY_NONCE) return out.fill(0xff, 4);
  let low = n >>> 0;
  let high = Math.floor(n / 0x100000000) >>> 0;
  for (let i = 0; i < 4; i++) {
    out[bigEndian ? 11 - i : 4 + i] = low & 0xff;
    out[bigEndian ? 7 - i : 8 + i] = high & 0xff;
    low >>>= 8;
    high >>>= 8;
  }
  return out;
}

export function noiseSuite(crypto: CryptoProvider, cipherName: NoiseCipherName): NoiseSuite {
  if (cipherName !== 'AESGCM' && cipherName !== 'ChaChaPoly') throw new NoiseError('unsupported', cipherName);
  const aead: Aead = cipherName === 'AESGCM' ? crypto.aesGcm : crypto.chachaPoly;
  const bigEndian = cipherName === 'AESGCM';
  return Object.freeze({
    name: `25519_${cipherName}_SHA256`,
    cipherName,
    dhLen: 32 as const,
    hashLen: 32 as const,
    generateKeyPair(): KeyPair {
      const secretKey = crypto.randomBytes(32);
      return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
    },
    keyPairFromSecret: (secretKey: Uint8Array): KeyPair => ({ secretKey, publicKey: crypto.x25519.publicKey(secretKey) }),
    dh(keyPair: KeyPair, publicKey: Uint8Array): Uint8Array {
      try {
        return crypto.x25519.shared(keyPair.secretKey, publicKey);
      } catch {
        throw new NoiseError('invalid-key', 'low-order or malformed X25519 public key');
      }
    },
    encrypt: (k: Uint8Array, n: number, ad: Uint8Array, plaintext: Uint8Array) => aead.seal(k, nonceBytes(n, bigEndian), ad, plaintext),
    decrypt: (k: Uint8Array, n: number, ad: Uint8Array, ciphertext: Uint8Array) => aead.open(k, nonceBytes(n, bigEndian), ad, ciphertext),
    rekey: (k: Uint8Array) => aead.seal(k, nonceBytes(REKEY_NONCE, bigEndian), new Uint8Array(0), new Uint8Array(32)).slice(0, 32),
    hash: (data: Uint8Array) => crypto.sha256(data),
    hmac: (key: Uint8Array, data: Uint8Array) => crypto.hmacSha256(key, data),
  });
}
