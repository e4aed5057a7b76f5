// HKDF (RFC 5869 §2.2–2.3) over any HMAC-SHA256, so the device can derive keys with its native
// HMAC. Portable; checked against noble's HKDF on the Wycheproof vectors.
import { checkHkdfLength } from './checks.js';

const HASH_BYTES = 32;

export function hkdfSha256With(
  hmacSha256: (key: Uint8Array, data: Uint8Array) => Uint8Array,
  ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number,
): Uint8Array {
  checkHkdfLength(length);
  // §2.2: an absent salt is HashLen zero bytes (an empty one is equivalent under HMAC's padding).
  const prk = hmacSha256(salt ?? new Uint8Array(HASH_BYTES), ikm);
  const okm = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let offset = 0, counter = 1; offset < length; offset += HASH_BYTES, counter++) {
    const input = new Uint8Array(previous.length + info.length + 1);
    input.set(previous);
    input.set(info, previous.length);
    input[input.length - 1] = counter;
    previous = hmacSha256(prk, input);
    okm.set(previous.subarray(0, Math.min(HASH_BYTES, length - offset)), offset);
  }
  return okm;
}
