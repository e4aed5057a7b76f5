// Failures of the Noise layer, each with a code the session maps to a wire status. After any of
// them the HandshakeState or CipherState that threw must be discarded (Noise rev 34 §5.3, §11.4).

export type NoiseErrorCode =
  | 'decrypt-failed'     // AEAD tag did not verify
  | 'invalid-key'        // DH with a low-order or otherwise invalid public key
  | 'bad-length'         // a message too short for its tokens, or longer than 65535 bytes
  | 'wrong-turn'         // writeMessage/readMessage out of the pattern's order, or after completion
  | 'missing-key'        // the pattern needs a static or remote static key that was not provided
  | 'nonce-exhausted'    // the 64-bit nonce space (limited here to 2^53-1) is used up
  | 'unsupported';       // unknown pattern, modifier or cipher name

export class NoiseError extends Error {
  constructor(readonly code: NoiseErrorCode, detail = '') {
    super(detail ? `Noise ${code}: ${detail}` : `Noise ${code}`);
    this.name = 'NoiseError';
  }
}
