// Encoding checks of a strict Ed25519 verification (RFC 8032 §5.1.7) done before any native
// verifier sees the signature, so that every board's library (Oberon, libsodium) and the host's
// OpenSSL refuse exactly the same forms: wrong lengths, S not below the group order L (the
// malleable form), and R or A with a y coordinate not below p. Byte compares, no curve arithmetic.

export const ED25519_PUBLIC_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/** L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const GROUP_ORDER = Uint8Array.of(
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
);
/** p = 2^255 - 19, little-endian, compared against y with the sign bit cleared. */
const FIELD_PRIME = Uint8Array.of(
  0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
);

/** True when the 32 little-endian bytes at `bytes[from]` (top bit masked if asked) are below `limit`. */
function below(bytes: Uint8Array, from: number, limit: Uint8Array, maskTop: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 && maskTop ? bytes[from + i] & 0x7f : bytes[from + i];
    if (b !== limit[i]) return b < limit[i];
  }
  return false;
}

/** True when the signature and public key are in the canonical forms a strict verifier accepts. */
export function checkEd25519Encodings(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_BYTES) return false;
  return below(signature, 32, GROUP_ORDER, false) && below(signature, 0, FIELD_PRIME, true) && below(publicKey, 0, FIELD_PRIME, true);
}
