// A device connection and a programmer client joined by an in-memory link on a virtual clock,
// with seeded keys and a minimal gate (an allowlist of programmer keys), for the channel tests.
import { equalBytes } from '../../modules/core/bytes.js';
import { CommandDispatcher, defineCommand, ok } from '../../modules/channel/commands.js';
import type { CommandPolicy } from '../../modules/channel/commands.js';
import { DeviceConnection } from '../../modules/channel/connection.js';
import type { FramingErrorCode } from '../../modules/channel/framing.js';
import type { ChannelEvent, ChannelGate, ChannelPattern } from '../../modules/channel/hooks.js';
import type { ReceiveOutcome } from '../../modules/channel/responder.js';
import { NO_ARGS, s } from '../../modules/channel/schema.js';
import { Status } from '../../modules/channel/status.js';
import type { StatusCode } from '../../modules/channel/status.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { ProgrammerClient } from '../../modules/programmer/client.js';
import type { FragmentLink } from '../../modules/programmer/client.js';
import { Prng } from '../lib/prng.js';
import { VirtualClock } from '../sim/virtual-clock.js';

export const crypto = nobleProvider;

/** The noble provider with a count of X25519 operations, to prove what runs before any DH. */
export function countingCrypto(): { provider: CryptoProvider; dh: { count: number } } {
  const dh = { count: 0 };
  const provider: CryptoProvider = {
    ...nobleProvider,
    x25519: {
      publicKey: (sk) => (dh.count++, nobleProvider.x25519.publicKey(sk)),
      shared: (sk, pk) => (dh.count++, nobleProvider.x25519.shared(sk, pk)),
    },
  };
  return { provider, dh };
}

export function keyPair(prng: Prng): KeyPair {
  const secretKey = prng.bytes(32);
  return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
}

export class TestGate implements ChannelGate {
  readonly events: ChannelEvent[] = [];
  admitStatus: StatusCode = Status.OK;
  connectionStatus: StatusCode = Status.OK;
  radioOpen = true;
  admitted = 0;
  authenticated = 0;

  constructor(readonly allowed: Uint8Array[]) {}

  connectable(): boolean {
    return this.radioOpen;
  }

  admitConnection(): StatusCode {
    return this.connectionStatus;
  }

  admit(): StatusCode {
    this.admitted++;
    return this.admitStatus;
  }

  authenticatePeer(claim: { remoteStatic: Uint8Array; payload: Uint8Array }) {
    this.authenticated++;
    if (!this.allowed.some((k) => equalBytes(k, claim.remoteStatic))) return { ok: false as const, status: Status.UNKNOWN_PEER };
    return { ok: true as const, principal: { role: 'clinician', keyId: claim.remoteStatic.slice(0, 8), staticKey: claim.remoteStatic } };
  }

  sessionEvent(event: ChannelEvent): void {
    this.events.push(event);
  }
}

export const allowAll: CommandPolicy = { authorize: () => Status.OK };

/** test.noop and test.echo; every handler run is appended to `handled`. */
export function testDispatcher(handled: string[] = []): CommandDispatcher {
  return new CommandDispatcher({
    policy: allowAll,
    commands: [
      defineCommand({ name: 'test.noop', args: NO_ARGS, maxArgBytes: 1, handler: () => (handled.push('test.noop'), ok()) }),
      defineCommand({
        name: 'test.echo', args: s.struct({ data: s.bytes(1024) }), maxArgBytes: 1100, handler: (a) => (handled.push('test.echo'), ok(a.data)),
      }),
    ],
  });
}

export interface Wire {
  /** Fragments written by the programmer, in order. */
  readonly up: Uint8Array[];
  /** Fragments notified by the device, in order. */
  readonly down: Uint8Array[];
}

export interface Pair {
  clock: VirtualClock;
  gate: TestGate;
  device: DeviceConnection;
  client: ProgrammerClient;
  outcomes: (ReceiveOutcome | FramingErrorCode)[];
  wire: Wire;
  deviceKey: KeyPair;
  programmerKey: KeyPair;
  disconnects: StatusCode[];
  /** Commands whose handler ran on the device. */
  handled: string[];
  /** X25519 operations on the device side. */
  deviceDh: { count: number };
}

export interface PairOptions {
  pattern?: ChannelPattern;
  mtu?: number;
  seed?: number;
  /** Overrides the device key the programmer expects (a wrong pin, for attack tests). */
  expectedDeviceKey?: Uint8Array;
  deviceKey?: KeyPair;
  programmerKey?: KeyPair;
  allowed?: Uint8Array[];
  clock?: VirtualClock;
  sessionId?: number;
}

export function connectPair(options: PairOptions = {}): Pair {
  const prng = new Prng(options.seed ?? 1);
  const clock = options.clock ?? new VirtualClock();
  const deviceKey = options.deviceKey ?? keyPair(prng);
  const programmerKey = options.programmerKey ?? keyPair(prng);
  const gate = new TestGate(options.allowed ?? [programmerKey.publicKey]);
  const outcomes: (ReceiveOutcome | FramingErrorCode)[] = [];
  const wire: Wire = { up: [], down: [] };
  const disconnects: StatusCode[] = [];
  const handled: string[] = [];
  const counting = countingCrypto();
  let toClient: (fragment: Uint8Array) => void = () => {};
  const mtu = options.mtu ?? 185;
  const device = new DeviceConnection({
    crypto: counting.provider, clock, gate, staticKey: deviceKey, dispatcher: testDispatcher(handled), physicalPresence: () => false,
    sessionId: options.sessionId ?? 1,
    ephemeral: () => keyPair(prng),
    notify: (fragment) => {
      wire.down.push(fragment);
      toClient(fragment);
    },
    disconnect: (status) => void disconnects.push(status),
    onOutcome: (o) => void outcomes.push(o),
  });
  device.mtu = mtu;
  const link: FragmentLink = {
    mtu,
    write(fragment) {
      wire.up.push(fragment);
      device.receiveFragment(fragment);
    },
    listen(onFragment) {
      toClient = onFragment;
    },
  };
  const pattern = options.pattern ?? 'IK';
  const client = new ProgrammerClient({
    crypto, link, clock, pattern, staticKey: programmerKey, certificate: new Uint8Array([0xa0]),
    deviceStatic: pattern === 'IK' ? options.expectedDeviceKey ?? deviceKey.publicKey : options.expectedDeviceKey,
    ephemeral: () => keyPair(prng),
  });
  return { clock, gate, device, client, outcomes, wire, deviceKey, programmerKey, disconnects, handled, deviceDh: counting.dh };
}
