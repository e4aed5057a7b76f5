// Constants both ends of the channel must agree on (docs/protocol.md). Changing any of them is a
// new protocol version: the prologue carries the version, so mismatched ends fail the handshake.
import { utf8 } from '../core/bytes.js';
import type { ChannelPattern } from './hooks.js';
import type { NoiseCipherName } from './noise/suite.js';

export const PROTOCOL_VERSION = 1;

/** Noise prologue (rev 34 §6): binds the protocol version into every handshake hash. */
export function channelPrologue(): Uint8Array {
  return utf8(`implant-channel/${PROTOCOL_VERSION}`);
}

export interface ProtocolChoice {
  readonly selector: number;
  readonly pattern: ChannelPattern;
  readonly cipher: NoiseCipherName;
}

/** HELLO selector byte -> Noise protocol. The protocol name is hashed into h, so the choice is authenticated. */
export const PROTOCOLS: readonly ProtocolChoice[] = Object.freeze([
  Object.freeze({ selector: 0x11, pattern: 'IK', cipher: 'AESGCM' } as const),
  Object.freeze({ selector: 0x12, pattern: 'XX', cipher: 'AESGCM' } as const),
  Object.freeze({ selector: 0x21, pattern: 'IK', cipher: 'ChaChaPoly' } as const),
  Object.freeze({ selector: 0x22, pattern: 'XX', cipher: 'ChaChaPoly' } as const),
]);

/** The device's suite (docs/protocol.md, "Cipher choice"): AESGCM runs on native AES and GHASH. */
export const DEVICE_CIPHER: NoiseCipherName = 'AESGCM';

export function protocolBySelector(selector: number): ProtocolChoice | undefined {
  return PROTOCOLS.find((p) => p.selector === selector);
}

export function selectorFor(pattern: ChannelPattern, cipher: NoiseCipherName): number {
  const choice = PROTOCOLS.find((p) => p.pattern === pattern && p.cipher === cipher);
  if (!choice) throw new RangeError(`no selector for ${pattern}/${cipher}`);
  return choice.selector;
}

/** Handshake payloads (certificates) are bounded well below the framing limit. */
export const MAX_HANDSHAKE_PAYLOAD = 1024;
/** From connection to open session. */
export const HANDSHAKE_TIMEOUT_MS = 10000;
/** An open session without an authenticated incoming message for this long ends. */
export const IDLE_TIMEOUT_MS = 60000;
/** Refused transport frames (replay, gap, malformed, unexpected) tolerated per session before it ends. */
export const MAX_REFUSED_FRAMES = 8;

/** Exact or minimum lengths of handshake messages, checked before any DH (32-byte keys, 16-byte tags). */
export const HANDSHAKE_LENGTHS = Object.freeze({
  /** IK message 1: e, encrypted s, encrypted payload (the certificate). */
  ikHelloMin: 32 + 48 + 16,
  /** XX message 1: e and an empty plaintext payload. */
  xxHello: 32,
  /** XX message 3: encrypted s and encrypted payload. */
  xxFinalMin: 48 + 16,
});
