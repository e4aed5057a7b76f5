// The programmer client: handshake and command round trips over any link that carries fragments
// (the GATT control/response characteristics, the simulator's socket, a test link). Portable:
// the CLI and the web app use it unchanged.
import type { Clock, TimerHandle } from '../modules/core/clock.js';
import { decodeCbor } from '../modules/core/cbor.js';
import type { CborValue } from '../modules/core/cbor.js';
import { encodeRequest } from '../modules/channel/commands.js';
import { fragmentMessage, MessageType, Reassembler } from '../modules/channel/framing.js';
import type { FramedMessage } from '../modules/channel/framing.js';
import { statusName } from '../modules/status/registry.js';
import type { StatusCode } from '../modules/channel/status.js';
import { ChannelInitiator } from './initiator.js';
import type { InitiatorOptions } from './initiator.js';

/** One fragment per write; fragments from the device arrive through the receiver. */
export interface FragmentLink {
  /** Current ATT MTU (23..517). */
  readonly mtu: number;
  write(fragment: Uint8Array): void;
  /** Bulk path (GATT write without response on the OTA data characteristic); falls back to write. */
  writeBulk?(fragment: Uint8Array): void;
  /** Installs the callbacks for fragments from the device and for loss of the link. */
  listen(onFragment: (fragment: Uint8Array) => void, onClosed: () => void): void;
}

export interface ClientOptions extends InitiatorOptions {
  readonly link: FragmentLink;
  readonly clock: Clock;
  /** How long to wait for the handshake answer or a command response. */
  readonly timeoutMs?: number;
}

export interface CommandResponse {
  readonly requestId: number;
  readonly status: StatusCode;
  readonly result: CborValue;
}

export type ClientErrorCode = 'alert' | 'timeout' | 'closed' | 'protocol' | 'framing';

export class ClientError extends Error {
  constructor(readonly code: ClientErrorCode, readonly status?: StatusCode) {
    super(status === undefined ? `programmer client: ${code}` : `programmer client: ${code} ${statusName(status)}`);
    this.name = 'ClientError';
  }
}

interface Waiter {
  resolve(value: FramedMessage): void;
  reject(error: Error): void;
  timer: TimerHandle;
}

export class ProgrammerClient {
  private readonly initiator: ChannelInitiator;
  private readonly reassembler: Reassembler;
  private readonly waiting: Waiter[] = [];
  private readonly inbox: FramedMessage[] = [];
  private failure: ClientError | undefined;
  private nextRequestId = 1;

  constructor(private readonly options: ClientOptions) {
    this.initiator = new ChannelInitiator(options);
    this.reassembler = new Reassembler({
      clock: options.clock,
      onMessage: (message) => this.deliver(message),
      onError: () => this.fail(new ClientError('framing')),
    });
    options.link.listen((fragment) => this.reassembler.push(fragment, options.link.mtu), () => this.fail(new ClientError('closed')));
  }

  /** Runs the handshake; resolves with the handshake hash (for channel binding) and the device key. */
  async connect(): Promise<{ handshakeHash: Uint8Array; deviceStatic: Uint8Array }> {
    this.send(MessageType.HELLO, this.initiator.hello());
    const answer = await this.next();
    if (answer.type !== MessageType.HANDSHAKE) throw this.fail(new ClientError('protocol'));
    let final: Uint8Array | undefined;
    try {
      final = this.initiator.readHandshake(answer.body);
    } catch {
      throw this.fail(new ClientError('protocol'));
    }
    if (final) this.send(MessageType.HANDSHAKE, final);
    const transport = this.initiator.transport!;
    return { handshakeHash: transport.handshakeHash, deviceStatic: this.initiator.deviceStatic! };
  }

  /** Sends one command and waits for its response; `bulk` sends it on the link's bulk path (update data). */
  async request(name: string, args: CborValue = new Map(), options: { bulk?: boolean } = {}): Promise<CommandResponse> {
    const transport = this.initiator.transport;
    if (!transport) throw new ClientError('protocol');
    const requestId = this.nextRequestId++;
    this.send(MessageType.TRANSPORT, transport.seal(encodeRequest(requestId, name, args)), options.bulk === true);
    const message = await this.next();
    if (message.type !== MessageType.TRANSPORT) throw this.fail(new ClientError('protocol'));
    const opened = transport.open(message.body);
    if (!opened.ok) throw this.fail(new ClientError('protocol'));
    const response = decodeCbor(opened.plaintext);
    if (!Array.isArray(response) || response.length !== 3 || response[0] !== requestId || typeof response[1] !== 'number') {
      throw this.fail(new ClientError('protocol'));
    }
    return { requestId, status: response[1], result: response[2] };
  }

  private send(type: number, body: Uint8Array, bulk = false): void {
    if (this.failure) throw this.failure;
    const link = this.options.link;
    const write = bulk && link.writeBulk ? (f: Uint8Array) => link.writeBulk!(f) : (f: Uint8Array) => link.write(f);
    for (const fragment of fragmentMessage(type, body, link.mtu)) write(fragment);
  }

  private deliver(message: FramedMessage): void {
    if (message.type === MessageType.ALERT) {
      this.fail(new ClientError('alert', message.body[0]));
      return;
    }
    const waiter = this.waiting.shift();
    if (!waiter) {
      this.inbox.push(message);
      return;
    }
    this.options.clock.clearTimeout(waiter.timer);
    waiter.resolve(message);
  }

  private next(): Promise<FramedMessage> {
    if (this.failure) return Promise.reject(this.failure);
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = this.options.clock.setTimeout(() => this.fail(new ClientError('timeout')), this.options.timeoutMs ?? 5000);
      this.waiting.push({ resolve, reject, timer });
    });
  }

  private fail(error: ClientError): ClientError {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) {
      this.options.clock.clearTimeout(waiter.timer);
      waiter.reject(this.failure);
    }
    return this.failure;
  }
}
