// Framing of channel messages into ATT-sized fragments and back (docs/protocol.md, "Framing").
// One fragment per GATT write or notification, at most ATT_MTU - 3 bytes:
//   byte 0        flags: bit 7 START, bit 6 END, bits 5..0 fragment index (0 on START, +1 mod 64)
//   START only:   byte 1 message type, bytes 2-3 message length (big-endian, 1..MAX_MESSAGE_BYTES)
//   then          message bytes
// The reassembler checks everything cheap (type, declared length, index) before buffering, keeps
// at most one message of at most maxMessage bytes, and resets on any error. After a timeout it
// drops the rest of the late message silently (the fragments that continue it in order, up to
// its declared length), so one slow message is one error, not one per leftover fragment.
// @req SEC-16 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';

export const MessageType = Object.freeze({
  /** Initiator's first handshake message: protocol selector byte + Noise message. */
  HELLO: 0x01,
  /** Any later Noise handshake message. */
  HANDSHAKE: 0x02,
  /** Encrypted transport message: 8-byte big-endian nonce + AEAD ciphertext. */
  TRANSPORT: 0x03,
  /** Unauthenticated notice from the device: one status byte, then the session is over. */
  ALERT: 0x04,
});

export const MIN_ATT_MTU = 23;
export const MAX_ATT_MTU = 517;
/** Largest message carried in one reassembly (the Noise limit is 65535; our buffers are smaller). */
export const MAX_MESSAGE_BYTES = 2048;
/** A message must be complete this long after its START fragment. */
export const REASSEMBLY_TIMEOUT_MS = 2000;

const START = 0x80;
const END = 0x40;
const INDEX_MASK = 0x3f;
const START_HEADER = 4;
const CONTINUATION_HEADER = 1;

export type FramingErrorCode =
  | 'oversize'       // declared length above the limit, or a fragment beyond the declared length
  | 'out-of-order'   // wrong index, START inside a message, continuation without START
  | 'timeout'        // message not complete in time
  | 'unknown-type'
  | 'malformed';     // too short, zero length, END before or after the declared length, fragment above MTU

export interface FramedMessage {
  readonly type: number;
  readonly body: Uint8Array;
}

function isKnownType(type: number): boolean {
  return type >= MessageType.HELLO && type <= MessageType.ALERT;
}

/** Largest fragment for an ATT MTU (the ATT write/notify header takes 3 bytes). */
export function fragmentCapacity(mtu: number): number {
  const clamped = Math.max(MIN_ATT_MTU, Math.min(MAX_ATT_MTU, Math.floor(mtu)));
  return clamped - 3;
}

/** Splits a message into fragments that fit `mtu`. Throws RangeError for an empty or oversize body. */
export function fragmentMessage(type: number, body: Uint8Array, mtu: number, maxMessage = MAX_MESSAGE_BYTES): Uint8Array[] {
  if (!isKnownType(type)) throw new RangeError(`unknown message type ${type}`);
  if (body.length === 0 || body.length > maxMessage) throw new RangeError(`message length ${body.length}`);
  const capacity = fragmentCapacity(mtu);
  const fragments: Uint8Array[] = [];
  let offset = 0;
  for (let index = 0; offset < body.length || index === 0; index++) {
    const header = index === 0 ? START_HEADER : CONTINUATION_HEADER;
    const size = Math.min(capacity - header, body.length - offset);
    const fragment = new Uint8Array(header + size);
    const last = offset + size === body.length;
    fragment[0] = (index === 0 ? START : 0) | (last ? END : 0) | (index & INDEX_MASK);
    if (index === 0) {
      fragment[1] = type;
      fragment[2] = body.length >> 8;
      fragment[3] = body.length & 0xff;
    }
    fragment.set(body.subarray(offset, offset + size), header);
    fragments.push(fragment);
    offset += size;
  }
  return fragments;
}

export interface ReassemblerOptions {
  readonly clock: Clock;
  /** Called with each complete message. */
  readonly onMessage: (message: FramedMessage) => void;
  /** Called with each framing error; the partial message (if any) has been dropped. */
  readonly onError: (code: FramingErrorCode) => void;
  readonly maxMessage?: number;
  readonly timeoutMs?: number;
}

export class Reassembler {
  private buffer: Uint8Array | undefined;
  private type = 0;
  private filled = 0;
  private nextIndex = 0;
  private timer: TimerHandle | undefined;
  /** The rest of a timed-out message, dropped without an error: next index and bytes still due. */
  private late: { nextIndex: number; remaining: number } | undefined;
  private readonly maxMessage: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ReassemblerOptions) {
    this.maxMessage = options.maxMessage ?? MAX_MESSAGE_BYTES;
    this.timeoutMs = options.timeoutMs ?? REASSEMBLY_TIMEOUT_MS;
  }

  /** True while a message is partly received. */
  get busy(): boolean {
    return this.buffer !== undefined;
  }

  /** Feeds one fragment as received from the link (at most `mtu - 3` bytes). */
  push(fragment: Uint8Array, mtu: number = MAX_ATT_MTU): void {
    if (fragment.length < 1 || fragment.length > fragmentCapacity(mtu)) return this.fail('malformed');
    const flags = fragment[0];
    const index = flags & INDEX_MASK;
    let data: Uint8Array;
    if (this.dropLate(flags, fragment.length - CONTINUATION_HEADER)) return;
    if (flags & START) {
      if (this.buffer) return this.fail('out-of-order');
      if (fragment.length < START_HEADER || index !== 0) return this.fail('malformed');
      const type = fragment[1];
      if (!isKnownType(type)) return this.fail('unknown-type');
      const length = (fragment[2] << 8) | fragment[3];
      if (length === 0) return this.fail('malformed');
      if (length > this.maxMessage) return this.fail('oversize');
      this.buffer = new Uint8Array(length);
      this.type = type;
      this.filled = 0;
      this.nextIndex = 0;
      this.timer = this.options.clock.setTimeout(() => this.timedOut(), this.timeoutMs);
      data = fragment.subarray(START_HEADER);
    } else {
      if (!this.buffer || index !== this.nextIndex) return this.fail('out-of-order');
      data = fragment.subarray(CONTINUATION_HEADER);
    }
    const buffer = this.buffer;
    if (data.length > buffer.length - this.filled) return this.fail('oversize');
    buffer.set(data, this.filled);
    this.filled += data.length;
    this.nextIndex = (this.nextIndex + 1) & INDEX_MASK;
    const complete = this.filled === buffer.length;
    if (Boolean(flags & END) !== complete) return this.fail('malformed');
    if (!complete) return;
    const message = { type: this.type, body: buffer };
    this.reset();
    this.options.onMessage(message);
  }

  /** Drops any partial message without reporting an error (e.g. on disconnect). */
  reset(): void {
    this.late = undefined;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = undefined;
    this.filled = 0;
    this.nextIndex = 0;
  }

  private timedOut(): void {
    const late = { nextIndex: this.nextIndex, remaining: this.buffer!.length - this.filled };
    this.fail('timeout');
    this.late = late;
  }

  /** True when the fragment continues a timed-out message and was dropped; anything else ends that state. */
  private dropLate(flags: number, dataLength: number): boolean {
    const late = this.late;
    this.late = undefined;
    if (!late || flags & START || (flags & INDEX_MASK) !== late.nextIndex || dataLength > late.remaining) return false;
    const remaining = late.remaining - dataLength;
    if (Boolean(flags & END) !== (remaining === 0)) return false;
    if (remaining > 0) this.late = { nextIndex: (late.nextIndex + 1) & INDEX_MASK, remaining };
    return true;
  }

  private fail(code: FramingErrorCode): void {
    this.reset();
    this.options.onError(code);
  }
}
