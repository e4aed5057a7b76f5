// Where the access-control layer plugs into the secure channel (modules/access implements these).
// The radio asks connectable() whenever no central is connected (it advertises only while the
// answer is yes) and admitConnection() when a central connects, before any message. The channel
// then calls, for every handshake:
//   admit()            before any Diffie-Hellman: rate limits, lockout, pairing window
//   authenticatePeer() once the initiator's static key and payload are decrypted and authenticated by Noise
//   sessionEvent()     for the audit log, on every outcome that matters for security
import type { Principal } from './commands.js';
import type { StatusCode } from './status.js';

/** Handshake patterns the device offers (docs/protocol.md, "Handshakes"). */
export type ChannelPattern = 'IK' | 'XX';

export interface AdmissionRequest {
  readonly pattern: ChannelPattern;
  /** Clock time (ms) of the handshake's first message. */
  readonly now: number;
}

export type PeerDecision =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly status: StatusCode };

export interface PeerClaim {
  readonly pattern: ChannelPattern;
  /** The initiator's X25519 static public key; Noise has proven the initiator holds its secret. */
  readonly remoteStatic: Uint8Array;
  /** The initiator's handshake payload (its certificate, CBOR/COSE), already decrypted and authenticated. */
  readonly payload: Uint8Array;
  /** Handshake hash at this point, for logs (the final hash is in SessionView.handshakeHash). */
  readonly handshakeHash: Uint8Array;
  readonly now: number;
}

export type ChannelEventKind =
  | 'handshake-refused'    // admit() said no
  | 'peer-rejected'        // authenticatePeer() said no
  | 'handshake-failed'     // a handshake message failed to decrypt or parse
  | 'session-opened'
  | 'session-closed'       // normal end: disconnect, idle timeout
  | 'auth-failure'         // a transport frame failed authentication: the session was ended
  | 'replay-rejected';     // a transport frame repeated or skipped a nonce

export interface ChannelEvent {
  readonly kind: ChannelEventKind;
  readonly now: number;
  readonly status?: StatusCode;
  readonly sessionId?: number;
  readonly principal?: Principal;
}

/** Every member is required: a wrapper that forgets one fails to type-check instead of silently admitting. */
export interface ChannelGate {
  /** Whether to advertise connectably now; while false the radio stays silent (no radio energy spent). */
  connectable(): boolean;
  /** A central connected, before it sends anything: Status.OK, or the refusal (the link is dropped). */
  admitConnection(): StatusCode;
  admit(request: AdmissionRequest): StatusCode;
  authenticatePeer(claim: PeerClaim): PeerDecision;
  sessionEvent(event: ChannelEvent): void;
}
