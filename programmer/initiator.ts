// The programmer's end of the channel handshake: the Noise initiator for IK (everyday, device key
// known from pairing) or XX (pairing window, device key learned and returned here). Synchronous
// and transport-free, so the CLI, the web app and the tests drive it the same way.
import type { CryptoProvider } from '../modules/crypto/provider.js';
import { MAX_MESSAGE_BYTES } from '../modules/channel/framing.js';
import type { ChannelPattern } from '../modules/channel/hooks.js';
import { HandshakeState } from '../modules/channel/noise/handshake-state.js';
import { noiseSuite } from '../modules/channel/noise/suite.js';
import type { KeyPair, NoiseCipherName } from '../modules/channel/noise/suite.js';
import { channelPrologue, DEVICE_CIPHER, selectorFor } from '../modules/channel/protocol.js';
import { SecureTransport } from '../modules/channel/transport.js';

export interface InitiatorOptions {
  readonly crypto: CryptoProvider;
  readonly pattern: ChannelPattern;
  readonly cipher?: NoiseCipherName;
  /** The programmer's X25519 static key, the one its certificate names. */
  readonly staticKey: KeyPair;
  /** Handshake payload: the programmer's certificate (encrypted by Noise before it is sent). */
  readonly certificate: Uint8Array;
  /** The device's static public key; required for IK, optional pin for XX. */
  readonly deviceStatic?: Uint8Array;
  readonly maxMessage?: number;
  /** Ephemeral key source, for tests. */
  readonly ephemeral?: () => KeyPair;
}

export class InitiatorError extends Error {
  constructor(readonly code: 'device-key-mismatch' | 'unexpected-payload' | 'missing-device-key') {
    super(`initiator: ${code}`);
    this.name = 'InitiatorError';
  }
}

export class ChannelInitiator {
  private readonly handshake: HandshakeState;
  private readonly selector: number;
  private transportState: SecureTransport | undefined;

  constructor(private readonly options: InitiatorOptions) {
    if (options.pattern === 'IK' && !options.deviceStatic) throw new InitiatorError('missing-device-key');
    const cipher = options.cipher ?? DEVICE_CIPHER;
    this.selector = selectorFor(options.pattern, cipher);
    this.handshake = new HandshakeState({
      suite: noiseSuite(options.crypto, cipher),
      pattern: options.pattern,
      initiator: true,
      prologue: channelPrologue(),
      staticKey: options.staticKey,
      remoteStatic: options.pattern === 'IK' ? options.deviceStatic : undefined,
      ephemeral: options.ephemeral?.(),
    });
  }

  /** Body of the HELLO message: selector byte and Noise message 1 (IK carries the certificate). */
  hello(): Uint8Array {
    const payload = this.options.pattern === 'IK' ? this.options.certificate : new Uint8Array(0);
    const message = this.handshake.writeMessage(payload);
    const body = new Uint8Array(1 + message.length);
    body[0] = this.selector;
    body.set(message, 1);
    return body;
  }

  /**
   * Reads the device's handshake message. Returns the body of the HANDSHAKE message to send
   * next (XX message 3 with the certificate) or undefined when done. Throws NoiseError or
   * InitiatorError; either way the handshake is over.
   */
  readHandshake(body: Uint8Array): Uint8Array | undefined {
    const payload = this.handshake.readMessage(body);
    if (payload.length !== 0) throw new InitiatorError('unexpected-payload');
    const pinned = this.options.deviceStatic;
    const learned = this.handshake.remoteStaticKey!;
    if (pinned && (pinned.length !== learned.length || pinned.some((b, i) => b !== learned[i]))) throw new InitiatorError('device-key-mismatch');
    const reply = this.handshake.isComplete ? undefined : this.handshake.writeMessage(this.options.certificate);
    this.transportState = new SecureTransport(this.handshake.split(), this.options.maxMessage ?? MAX_MESSAGE_BYTES);
    return reply;
  }

  /** The encrypted transport, once the handshake is complete. */
  get transport(): SecureTransport | undefined {
    return this.transportState;
  }

  /** The device's static key: given for IK, learned in XX message 2. */
  get deviceStatic(): Uint8Array | undefined {
    return this.handshake.remoteStaticKey;
  }
}
