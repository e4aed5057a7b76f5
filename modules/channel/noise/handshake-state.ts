// HandshakeState (Noise rev 34 §5.3) for any pattern in patterns.ts, with injectable ephemeral keys
// so that the published test vectors replay exactly.
import { concatBytes, utf8 } from '../../core/bytes.js';
import type { CipherState } from './cipher-state.js';
import { NoiseError } from './errors.js';
import { handshakePattern } from './patterns.js';
import type { HandshakePattern, Token } from './patterns.js';
import type { KeyPair, NoiseSuite } from './suite.js';
import { SymmetricState } from './symmetric-state.js';

/** Largest Noise message (§3). */
export const MAX_NOISE_MESSAGE = 65535;
const TAG_LENGTH = 16;

export interface HandshakeOptions {
  readonly suite: NoiseSuite;
  /** Pattern name with modifiers, e.g. 'IK', 'XX', 'XXpsk3'. */
  readonly pattern: string;
  readonly initiator: boolean;
  readonly prologue: Uint8Array;
  /** Local static key pair s. */
  readonly staticKey?: KeyPair;
  /** Remote static public key rs, when the pattern has it as a pre-message. */
  readonly remoteStatic?: Uint8Array;
  /** Local ephemeral key pair; tests inject it, otherwise it is generated when first needed. */
  readonly ephemeral?: KeyPair;
  /** Remote ephemeral public key, only for patterns with an ephemeral pre-message. */
  readonly remoteEphemeral?: Uint8Array;
  /** Pre-shared keys (32 bytes each) consumed in order by psk tokens. */
  readonly psks?: readonly Uint8Array[];
}

export interface TransportKeys {
  /** Encrypts what this side sends. */
  readonly send: CipherState;
  /** Decrypts what this side receives. */
  readonly receive: CipherState;
  readonly handshakeHash: Uint8Array;
}

export class HandshakeState {
  readonly pattern: HandshakePattern;
  readonly protocolName: string;
  readonly initiator: boolean;
  private readonly suite: NoiseSuite;
  private readonly ss: SymmetricState;
  private s: KeyPair | undefined;
  private e: KeyPair | undefined;
  private rs: Uint8Array | undefined;
  private re: Uint8Array | undefined;
  private readonly psks: Uint8Array[];
  private index = 0;
  private failed = false;

  /** Initialize(handshake_pattern, initiator, prologue, s, e, rs, re) of §5.3. */
  constructor(options: HandshakeOptions) {
    this.suite = options.suite;
    this.pattern = handshakePattern(options.pattern);
    this.protocolName = `Noise_${this.pattern.name}_${this.suite.name}`;
    this.initiator = options.initiator;
    this.s = options.staticKey;
    this.e = options.ephemeral;
    this.rs = options.remoteStatic;
    this.re = options.remoteEphemeral;
    this.psks = (options.psks ?? []).slice();
    this.ss = new SymmetricState(this.suite, utf8(this.protocolName));
    this.ss.mixHash(options.prologue);
    for (const pre of this.pattern.preMessages) {
      const local = pre.initiator === this.initiator;
      const key = pre.token === 's' ? (local ? this.s?.publicKey : this.rs) : local ? this.e?.publicKey : this.re;
      if (!key) throw new NoiseError('missing-key', `pre-message ${pre.token}`);
      this.ss.mixHash(key);
      if (pre.token === 'e' && this.pattern.psk) this.ss.mixKey(key);
    }
  }

  /** True when it is this side's turn to write. */
  get isMyTurn(): boolean {
    return !this.isComplete && this.index % 2 === (this.initiator ? 0 : 1);
  }

  get isComplete(): boolean {
    return this.index >= this.pattern.messages.length;
  }

  get handshakeHash(): Uint8Array {
    return this.ss.handshakeHash;
  }

  /** The peer's static public key, once received (or given as a pre-message). */
  get remoteStaticKey(): Uint8Array | undefined {
    return this.rs;
  }

  /** Number of messages processed so far. */
  get messageIndex(): number {
    return this.index;
  }

  private guard(writing: boolean): void {
    if (this.failed || this.isComplete || this.isMyTurn !== writing) throw new NoiseError('wrong-turn');
  }

  /** WriteMessage(payload, message_buffer); after the last message use split(). */
  writeMessage(payload: Uint8Array): Uint8Array {
    this.guard(true);
    try {
      const parts: Uint8Array[] = [];
      for (const token of this.pattern.messages[this.index]) parts.push(this.writeToken(token));
      parts.push(this.ss.encryptAndHash(payload));
      const message = concatBytes(...parts);
      if (message.length > MAX_NOISE_MESSAGE) throw new NoiseError('bad-length', 'message above 65535 bytes');
      this.index++;
      return message;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** ReadMessage(message, payload_buffer): returns the payload or throws NoiseError; a failure poisons the state. */
  readMessage(message: Uint8Array): Uint8Array {
    this.guard(false);
    try {
      if (message.length > MAX_NOISE_MESSAGE) throw new NoiseError('bad-length', 'message above 65535 bytes');
      let offset = 0;
      const take = (n: number): Uint8Array => {
        if (message.length - offset < n) throw new NoiseError('bad-length', 'message too short');
        const part = message.subarray(offset, offset + n);
        offset += n;
        return part;
      };
      for (const token of this.pattern.messages[this.index]) this.readToken(token, take);
      const rest = message.subarray(offset);
      if (this.ss.hasKey() && rest.length < TAG_LENGTH) throw new NoiseError('bad-length', 'payload shorter than its tag');
      const payload = this.ss.decryptAndHash(rest);
      this.index++;
      return payload;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Split() after the last message: the transport CipherStates seen from this side. */
  split(): TransportKeys {
    if (!this.isComplete || this.failed) throw new NoiseError('wrong-turn', 'handshake not complete');
    const [c1, c2] = this.ss.split();
    return this.initiator
      ? { send: c1, receive: c2, handshakeHash: this.ss.handshakeHash }
      : { send: c2, receive: c1, handshakeHash: this.ss.handshakeHash };
  }

  private dhToken(token: 'ee' | 'es' | 'se' | 'ss'): Uint8Array {
    // 'es' is DH(initiator e, responder s); each side uses its own secret with the other's public key.
    const [iKey, rKey] = [token[0], token[1]];
    const local = this.initiator ? iKey : rKey;
    const remote = this.initiator ? rKey : iKey;
    const mine = local === 'e' ? this.e : this.s;
    const theirs = remote === 'e' ? this.re : this.rs;
    if (!mine || !theirs) throw new NoiseError('missing-key', `token ${token}`);
    return this.suite.dh(mine, theirs);
  }

  private nextPsk(): Uint8Array {
    const psk = this.psks.shift();
    if (!psk || psk.length !== 32) throw new NoiseError('missing-key', 'psk');
    return psk;
  }

  private writeToken(token: Token): Uint8Array {
    switch (token) {
      case 'e': {
        this.e ??= this.suite.generateKeyPair();
        this.ss.mixHash(this.e.publicKey);
        if (this.pattern.psk) this.ss.mixKey(this.e.publicKey);
        return this.e.publicKey;
      }
      case 's':
        if (!this.s) throw new NoiseError('missing-key', 'static key');
        return this.ss.encryptAndHash(this.s.publicKey);
      case 'psk':
        this.ss.mixKeyAndHash(this.nextPsk());
        return new Uint8Array(0);
      default:
        this.ss.mixKey(this.dhToken(token));
        return new Uint8Array(0);
    }
  }

  private readToken(token: Token, take: (n: number) => Uint8Array): void {
    switch (token) {
      case 'e': {
        this.re = take(this.suite.dhLen).slice();
        this.ss.mixHash(this.re);
        if (this.pattern.psk) this.ss.mixKey(this.re);
        return;
      }
      case 's': {
        const sealed = take(this.suite.dhLen + (this.ss.hasKey() ? TAG_LENGTH : 0));
        this.rs = this.ss.decryptAndHash(sealed).slice();
        return;
      }
      case 'psk':
        this.ss.mixKeyAndHash(this.nextPsk());
        return;
      default:
        this.ss.mixKey(this.dhToken(token));
    }
  }
}
