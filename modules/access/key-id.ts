// Key ids name public keys in certificates, revocation lists and the audit log: the first
// 8 bytes of SHA-256 over the raw public key (32 bytes for Ed25519 and X25519 alike).

export const KEY_ID_BYTES = 8;

export function keyIdOf(sha256: (data: Uint8Array) => Uint8Array, publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).slice(0, KEY_ID_BYTES);
}
