// The crypto every other module uses, injected rather than imported (docs/architecture.md, "Injected, not imported"):
// noble everywhere, with Moddable's native `crypt` taking over SHA-256, HMAC, HKDF and AES-GCM
// on the device (docs/crypto.md). Implementations must match each other byte for byte on the
// Wycheproof vectors (hosttest/vectors), and refuse the same inputs with the same CryptoError codes.

/** An incremental hash, for data that arrives in pieces (update images). */
export interface HashStream {
  update(data: Uint8Array): void;
  /** Finishes and returns the digest; the stream cannot be updated afterwards. */
  digest(): Uint8Array;
}

/** Why a provider refused its input. Callers map these to their own protocol error codes. */
export type CryptoErrorCode =
  | 'bad-length' // a key, nonce or requested output length outside the primitive's contract
  | 'x25519-non-canonical' // peer key not the canonical encoding (bit 255 set, or u >= 2^255 - 19)
  | 'x25519-low-order'; // peer key of small order: the shared secret would be all zero

export class CryptoError extends Error {
  constructor(readonly code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

/**
 * An AEAD with a 32-byte key (AES-256-GCM or ChaCha20-Poly1305), 12-byte nonce, 16-byte tag.
 * Other key or nonce sizes throw CryptoError 'bad-length'.
 */
export interface Aead {
  /** Returns ciphertext followed by the 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Returns the plaintext, or undefined when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined;
}

export interface CryptoProvider {
  /** Names the implementation of each primitive, for logs and benchmarks. */
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array;
  sha256Stream(): HashStream;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HKDF-SHA256 (RFC 5869) extract-and-expand; `length` above 8160 throws CryptoError 'bad-length'. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array | undefined, info: Uint8Array, length: number): Uint8Array;
  readonly aesGcm: Aead;
  readonly chachaPoly: Aead;
  /**
   * X25519 (RFC 7748). `shared` accepts only canonical peer keys and throws CryptoError
   * 'x25519-non-canonical' or 'x25519-low-order' otherwise (RFC 7748 §6.1 all-zero check, done
   * before the ladder).
   */
  readonly x25519: {
    publicKey(secretKey: Uint8Array): Uint8Array;
    shared(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;
  };
  /** Ed25519 (RFC 8032 §5.1.7, strict: non-canonical S or points, and malleable forms, fail). */
  readonly ed25519: {
    publicKey(secretKey: Uint8Array): Uint8Array;
    sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  };
  /** Cryptographically secure random bytes from the platform source. */
  randomBytes(length: number): Uint8Array;
}
