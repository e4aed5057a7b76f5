// The encrypted transport after a Noise handshake, the same for both ends (docs/protocol.md,
// "Transport"). A transport message is the sender's 64-bit nonce (big-endian) followed by the
// AEAD ciphertext of the plaintext under that nonce with empty associated data (Noise rev 34 §5.1,
// with the nonce sent explicitly). The receiver accepts only the next nonce in sequence: a lower
// one is a replay, a higher one a gap; both are refused before any decryption is attempted.
// Each direction rekeys (rev 34 §11.3) once REKEY_MESSAGES messages or REKEY_BYTES plaintext
// bytes have passed since its last rekey, whichever comes first; both counters then restart.
// Both ends count identically, so no signalling is needed.
// @req SEC-02 (docs/traceability.md)
import type { CipherState } from './noise/cipher-state.js';
import type { TransportKeys } from './noise/handshake-state.js';
import { NoiseError } from './noise/errors.js';

export const NONCE_BYTES = 8;
export const TAG_BYTES = 16;
export const REKEY_MESSAGES = 4096;
export const REKEY_BYTES = 1 << 20;
/** A session ends before this many messages in one direction (far below the 2^64 nonce space). */
export const MAX_MESSAGES = 2 ** 48;

export type TransportErrorCode =
  | 'malformed'        // shorter than nonce + tag, or longer than allowed
  | 'replay'           // nonce below the next expected one
  | 'gap'              // nonce above the next expected one
  | 'decrypt-failed'   // authentication failed: the session must end
  | 'exhausted';       // MAX_MESSAGES reached: the session must end

export type OpenResult = { ok: true; plaintext: Uint8Array } | { ok: false; error: TransportErrorCode };

class Direction {
  /** Messages and plaintext bytes since the last rekey. */
  private messages = 0;
  private bytes = 0;

  constructor(readonly cipher: CipherState) {}

  /** Counts a message and rekeys at the documented thresholds (docs/protocol.md, "Rekey"). */
  account(plaintextBytes: number): void {
    this.messages++;
    this.bytes += plaintextBytes;
    if (this.messages >= REKEY_MESSAGES || this.bytes >= REKEY_BYTES) {
      this.cipher.rekey();
      this.messages = 0;
      this.bytes = 0;
    }
  }
}

function writeNonce(out: Uint8Array, n: number): void {
  const high = Math.floor(n / 0x100000000);
  const low = n >>> 0;
  for (let i = 0; i < 4; i++) {
    out[3 - i] = (high >>> (8 * i)) & 0xff;
    out[7 - i] = (low >>> (8 * i)) & 0xff;
  }
}

/** The nonce field as a number; anything at or above 2^53 reads as Infinity (always a gap). */
function readNonce(frame: Uint8Array): number {
  const high = ((frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]) >>> 0;
  const low = ((frame[4] << 24) | (frame[5] << 16) | (frame[6] << 8) | frame[7]) >>> 0;
  return high >= 0x200000 ? Infinity : high * 0x100000000 + low;
}

export class SecureTransport {
  private readonly out: Direction;
  private readonly in: Direction;
  readonly handshakeHash: Uint8Array;

  constructor(keys: TransportKeys, private readonly maxFrame: number) {
    this.out = new Direction(keys.send);
    this.in = new Direction(keys.receive);
    this.handshakeHash = keys.handshakeHash;
  }

  /** Largest plaintext that fits one transport message. */
  get maxPlaintext(): number {
    return this.maxFrame - NONCE_BYTES - TAG_BYTES;
  }

  /** Encrypts the next outgoing message. Throws NoiseError('nonce-exhausted') at MAX_MESSAGES. */
  seal(plaintext: Uint8Array): Uint8Array {
    if (plaintext.length > this.maxPlaintext) throw new RangeError(`plaintext of ${plaintext.length} bytes`);
    const n = this.out.cipher.nonce;
    if (n >= MAX_MESSAGES) throw new NoiseError('nonce-exhausted');
    const frame = new Uint8Array(NONCE_BYTES + plaintext.length + TAG_BYTES);
    writeNonce(frame, n);
    frame.set(this.out.cipher.encryptWithAd(new Uint8Array(0), plaintext), NONCE_BYTES);
    this.out.account(plaintext.length);
    return frame;
  }

  /** Checks and decrypts one incoming message; never throws. */
  open(frame: Uint8Array): OpenResult {
    if (frame.length < NONCE_BYTES + TAG_BYTES || frame.length > this.maxFrame) return { ok: false, error: 'malformed' };
    const expected = this.in.cipher.nonce;
    if (expected >= MAX_MESSAGES) return { ok: false, error: 'exhausted' };
    const n = readNonce(frame);
    if (n < expected) return { ok: false, error: 'replay' };
    if (n > expected) return { ok: false, error: 'gap' };
    let plaintext: Uint8Array;
    try {
      plaintext = this.in.cipher.decryptWithAd(new Uint8Array(0), frame.subarray(NONCE_BYTES));
    } catch {
      return { ok: false, error: 'decrypt-failed' };
    }
    this.in.account(plaintext.length);
    return { ok: true, plaintext };
  }
}
