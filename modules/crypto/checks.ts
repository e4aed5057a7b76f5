// Input checks every CryptoProvider applies before touching a primitive, so that all
// implementations refuse the same inputs with the same CryptoError codes.
import { CryptoError } from './provider.js';

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;
export const X25519_KEY_BYTES = 32;
/** RFC 5869 §2.3: L <= 255 * HashLen. */
export const HKDF_SHA256_MAX_BYTES = 255 * 32;

export function checkAeadSizes(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== AEAD_KEY_BYTES) throw new CryptoError('bad-length', `AEAD key must be ${AEAD_KEY_BYTES} bytes, got ${key.length}`);
  if (nonce.length !== AEAD_NONCE_BYTES) throw new CryptoError('bad-length', `AEAD nonce must be ${AEAD_NONCE_BYTES} bytes, got ${nonce.length}`);
}

export function checkHkdfLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0 || length > HKDF_SHA256_MAX_BYTES) {
    throw new CryptoError('bad-length', `HKDF-SHA256 output must be 0..${HKDF_SHA256_MAX_BYTES} bytes, got ${length}`);
  }
}

/**
 * Accepts only the canonical little-endian encoding of u in [0, 2^255 - 19): bit 255 clear and
 * u below p. RFC 7748 §5 would mask bit 255 and reduce mod p; refusing instead keeps one byte
 * string per key, so a peer cannot present a known key under a second encoding.
 */
export function checkCanonicalX25519(publicKey: Uint8Array): void {
  if (publicKey.length !== X25519_KEY_BYTES) throw new CryptoError('bad-length', `X25519 public key must be 32 bytes, got ${publicKey.length}`);
  const top = publicKey[31];
  let middleAllOnes = true;
  for (let i = 1; i < 31; i++) if (publicKey[i] !== 0xff) middleAllOnes = false;
  // p = 2^255 - 19 is ed ff .. ff 7f in little-endian; u >= p only when every byte is at its limit.
  const atLeastP = top === 0x7f && middleAllOnes && publicKey[0] >= 0xed;
  if (top > 0x7f || atLeastP) throw new CryptoError('x25519-non-canonical', 'X25519 public key is not canonically encoded');
}
