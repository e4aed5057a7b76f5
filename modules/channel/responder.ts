// The device's end of one connection: Noise responder, then the encrypted command session.
// State machine (docs/protocol.md, "State machine"):
//   AWAIT_HELLO --HELLO IK ok--> OPEN
//   AWAIT_HELLO --HELLO XX ok--> AWAIT_FINAL --HANDSHAKE ok--> OPEN
//   any state   --error before OPEN, auth failure, timeout, too many refused frames--> CLOSED
// Before OPEN every error ends the connection (an ALERT is sent first). In OPEN a replayed,
// skipped, malformed or unexpected frame is dropped and counted; a frame that fails
// authentication ends the session. Checks run in order of cost: type, length, admission
// (before any DH), Noise, certificate.
// @req SEC-01 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { CommandDispatcher, Principal, SessionView } from './commands.js';
import { MessageType, MAX_MESSAGE_BYTES } from './framing.js';
import type { FramedMessage, FramingErrorCode } from './framing.js';
import type { ChannelEventKind, ChannelGate, ChannelPattern } from './hooks.js';
import { HandshakeState } from './noise/handshake-state.js';
import { NoiseError } from './noise/errors.js';
import { noiseSuite } from './noise/suite.js';
import type { KeyPair, NoiseCipherName } from './noise/suite.js';
import {
  channelPrologue, DEVICE_CIPHER, HANDSHAKE_LENGTHS, HANDSHAKE_TIMEOUT_MS, IDLE_TIMEOUT_MS, MAX_HANDSHAKE_PAYLOAD,
  MAX_REFUSED_FRAMES, protocolBySelector,
} from './protocol.js';
import { Status } from './status.js';
import type { StatusCode } from './status.js';
import { SecureTransport } from './transport.js';

export type ResponderState = 'await-hello' | 'await-final' | 'open' | 'closed';

/** What happened to one incoming message; tests and logs read it, the peer never sees it. */
export type ReceiveOutcome =
  | 'handshake-progress'   // a handshake message was accepted
  | 'session-opened'
  | 'request-handled'      // a transport message was decrypted and dispatched
  | 'refused'              // dropped and counted; the session goes on
  | 'ended';               // the connection's channel is now closed

export interface ResponderOptions {
  readonly crypto: CryptoProvider;
  readonly clock: Clock;
  readonly staticKey: KeyPair;
  readonly gate: ChannelGate;
  readonly dispatcher: CommandDispatcher;
  readonly physicalPresence: () => boolean;
  /** Sends one message to the initiator (the link fragments it). */
  readonly send: (type: number, body: Uint8Array) => void;
  /** Asks the link to drop the connection; called once, after the channel closed. */
  readonly disconnect: (status: StatusCode) => void;
  readonly sessionId: number;
  /** Ciphers offered; the device offers only DEVICE_CIPHER unless configured otherwise. */
  readonly ciphers?: readonly NoiseCipherName[];
  /** Maximum framed message size of the link. */
  readonly maxMessage?: number;
  /** Ephemeral key source, for tests that replay fixed handshakes. */
  readonly ephemeral?: () => KeyPair;
}

interface Pending {
  readonly handshake: HandshakeState;
  readonly pattern: ChannelPattern;
}

export class ChannelResponder {
  private stateName: ResponderState = 'await-hello';
  private pending: Pending | undefined;
  private transport: SecureTransport | undefined;
  private view: SessionView | undefined;
  private refused = 0;
  private timer: TimerHandle | undefined;

  constructor(private readonly options: ResponderOptions) {
    this.timer = options.clock.setTimeout(() => this.end(Status.TIMEOUT, 'session-closed'), HANDSHAKE_TIMEOUT_MS);
  }

  get state(): ResponderState {
    return this.stateName;
  }

  /** The open session, for tests and the device's status display. */
  get session(): SessionView | undefined {
    return this.view;
  }

  /** Feeds one reassembled message from the initiator. Never throws. */
  receive(message: FramedMessage): ReceiveOutcome {
    switch (this.stateName) {
      case 'closed':
        return 'ended';
      case 'open':
        return this.receiveInSession(message);
      case 'await-hello':
        return message.type === MessageType.HELLO ? this.hello(message.body) : this.end(Status.UNEXPECTED_MESSAGE);
      case 'await-final':
        return message.type === MessageType.HANDSHAKE ? this.final(message.body) : this.end(Status.UNEXPECTED_MESSAGE);
    }
  }

  /** A framing error on the link: fatal before the session opens, counted afterwards. */
  framingError(_code: FramingErrorCode): ReceiveOutcome {
    if (this.stateName === 'open') return this.refuse();
    if (this.stateName === 'closed') return 'ended';
    return this.end(Status.FRAMING_ERROR);
  }

  /** The link went away: ends the channel without sending anything. */
  linkLost(): void {
    if (this.stateName !== 'closed') this.end(undefined, 'session-closed');
  }

  private hello(body: Uint8Array): ReceiveOutcome {
    const choice = protocolBySelector(body[0]);
    const ciphers = this.options.ciphers ?? [DEVICE_CIPHER];
    if (!choice || !ciphers.includes(choice.cipher)) return this.end(Status.UNSUPPORTED_PROTOCOL);
    const noise = body.subarray(1);
    const lengthOk = choice.pattern === 'IK'
      ? noise.length >= HANDSHAKE_LENGTHS.ikHelloMin && noise.length <= HANDSHAKE_LENGTHS.ikHelloMin + MAX_HANDSHAKE_PAYLOAD
      : noise.length === HANDSHAKE_LENGTHS.xxHello;
    if (!lengthOk) return this.end(Status.AUTH_FAILED, 'handshake-failed');
    // Admission before any Diffie-Hellman: this is what keeps a handshake flood cheap.
    const admitted = this.options.gate.admit({ pattern: choice.pattern, now: this.options.clock.now() });
    if (admitted !== Status.OK) return this.end(admitted, 'handshake-refused');
    const handshake = new HandshakeState({
      suite: noiseSuite(this.options.crypto, choice.cipher),
      pattern: choice.pattern,
      initiator: false,
      prologue: channelPrologue(),
      staticKey: this.options.staticKey,
      ephemeral: this.options.ephemeral?.(),
    });
    this.pending = { handshake, pattern: choice.pattern };
    return this.guarded(() => {
      const payload = handshake.readMessage(noise);
      if (choice.pattern === 'IK') {
        const principal = this.authenticate(payload);
        if (principal === undefined) return 'ended';
        this.options.send(MessageType.HANDSHAKE, handshake.writeMessage(new Uint8Array(0)));
        return this.open(principal);
      }
      // XX message 1 carries an empty payload: the exact length check above guaranteed it.
      this.options.send(MessageType.HANDSHAKE, handshake.writeMessage(new Uint8Array(0)));
      this.stateName = 'await-final';
      return 'handshake-progress';
    });
  }

  private final(body: Uint8Array): ReceiveOutcome {
    const pending = this.pending!;
    if (body.length < HANDSHAKE_LENGTHS.xxFinalMin || body.length > HANDSHAKE_LENGTHS.xxFinalMin + MAX_HANDSHAKE_PAYLOAD) {
      return this.end(Status.AUTH_FAILED, 'handshake-failed');
    }
    return this.guarded(() => {
      const payload = pending.handshake.readMessage(body);
      const principal = this.authenticate(payload);
      return principal === undefined ? 'ended' : this.open(principal);
    });
  }

  /** Runs Noise steps; a NoiseError (bad tag, low-order key, short message) ends the handshake. */
  private guarded(step: () => ReceiveOutcome): ReceiveOutcome {
    try {
      return step();
    } catch (error) {
      if (error instanceof NoiseError) return this.end(Status.AUTH_FAILED, 'handshake-failed');
      throw error;
    }
  }

  private authenticate(payload: Uint8Array): Principal | undefined {
    const { handshake, pattern } = this.pending!;
    const decision = this.options.gate.authenticatePeer({
      pattern,
      remoteStatic: handshake.remoteStaticKey!,
      payload,
      handshakeHash: handshake.handshakeHash,
      now: this.options.clock.now(),
    });
    if (decision.ok) return decision.principal;
    this.end(decision.status, 'peer-rejected');
    return undefined;
  }

  private open(principal: Principal): ReceiveOutcome {
    const { handshake, pattern } = this.pending!;
    this.pending = undefined;
    const keys = handshake.split();
    this.transport = new SecureTransport(keys, this.options.maxMessage ?? MAX_MESSAGE_BYTES);
    const presence = this.options.physicalPresence;
    this.view = Object.freeze({
      id: this.options.sessionId,
      principal,
      handshakeHash: keys.handshakeHash,
      pattern,
      physicalPresence: () => presence(),
    });
    this.stateName = 'open';
    this.armIdle();
    this.event('session-opened');
    return 'session-opened';
  }

  private receiveInSession(message: FramedMessage): ReceiveOutcome {
    if (message.type !== MessageType.TRANSPORT) return this.refuse();
    const opened = this.transport!.open(message.body);
    if (!opened.ok) {
      if (opened.error === 'decrypt-failed') return this.end(Status.AUTH_FAILED, 'auth-failure');
      if (opened.error === 'exhausted') return this.end(Status.TOO_MANY_ERRORS, 'session-closed');
      if (opened.error === 'replay' || opened.error === 'gap') this.event('replay-rejected');
      return this.refuse();
    }
    this.armIdle();
    const reply = this.options.dispatcher.dispatch(opened.plaintext, this.view!);
    if (reply instanceof Uint8Array) this.reply(reply);
    else void reply.then((bytes) => this.reply(bytes));
    return 'request-handled';
  }

  private reply(bytes: Uint8Array): void {
    if (this.stateName !== 'open') return; // the session ended while an async handler ran
    this.options.send(MessageType.TRANSPORT, this.transport!.seal(bytes));
  }

  private refuse(): ReceiveOutcome {
    this.refused++;
    if (this.refused > MAX_REFUSED_FRAMES) return this.end(Status.TOO_MANY_ERRORS, 'session-closed');
    return 'refused';
  }

  private armIdle(): void {
    this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => this.end(Status.TIMEOUT, 'session-closed'), IDLE_TIMEOUT_MS);
  }

  /** Closes the channel: ALERT (when a status is given), audit event, then disconnect. */
  private end(status: StatusCode | undefined, kind: ChannelEventKind = 'handshake-failed'): ReceiveOutcome {
    if (this.stateName === 'closed') return 'ended';
    this.options.clock.clearTimeout(this.timer);
    this.stateName = 'closed';
    this.pending = undefined;
    this.transport = undefined;
    this.event(kind, status);
    if (status !== undefined) {
      this.options.send(MessageType.ALERT, Uint8Array.of(status));
      this.options.disconnect(status);
    }
    return 'ended';
  }

  private event(kind: ChannelEventKind, status?: StatusCode): void {
    this.options.gate.sessionEvent({
      kind,
      now: this.options.clock.now(),
      status,
      sessionId: this.options.sessionId,
      principal: this.view?.principal,
    });
  }
}
