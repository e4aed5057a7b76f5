// One secure session with an implant over the Web Bluetooth transport: picks IK for a known
// implant (its key remembered from the first XX contact) or XX for a first contact, shows the
// pairing code after XX, notices a different implant answering, and runs commands one at a time.
import type { DeviceInfo } from '../../../modules/ble/device-info.js';
import { equalBytes } from '../../../modules/core/bytes.js';
import type { CborValue } from '../../../modules/core/cbor.js';
import { Status } from '../../../modules/channel/status.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { ClientError, ProgrammerClient } from '../../../programmer/client.js';
import type { CommandResponse } from '../../../programmer/client.js';
import { exchangePairingCode, PairingCodeError } from '../../../programmer/pairing-code.js';
import { GattLink } from '../ble/gatt-link.js';
import type { BluetoothDeviceLike } from '../ble/web-bluetooth.js';
import { explainStatus } from './explain.js';
import type { Identity } from './identities.js';
import type { KnownDevices } from './known-devices.js';
import { pageClock } from './clock.js';

export const crypto = nobleProvider;

export type SessionErrorKind = 'different-implant' | 'refused' | 'lost' | 'timeout' | 'protocol';

export class SessionError extends Error {
  override name = 'SessionError';
  constructor(readonly kind: SessionErrorKind, message: string, readonly status?: number) {
    super(message);
  }
}

export interface OpenOptions {
  readonly device: BluetoothDeviceLike;
  readonly identity: Identity;
  readonly known: KnownDevices;
  /** The link MTU when the platform knows it (see GattLinkOptions). */
  readonly mtu?: () => number;
  /** Force a pairing handshake (XX) even for a known implant. */
  readonly pair?: boolean;
}

const DIFFERENT = 'The implant refused the session. Either a different implant answered (it does not hold the key this programmer remembers for this device), or this implant does not accept the loaded key or certificate: an implant gives both the same answer, so a stranger cannot probe it. Check which implant you are next to and which identity is loaded; forget the device only if it was replaced or re-flashed.';

function asSessionError(error: unknown, pattern: 'IK' | 'XX'): SessionError {
  if (error instanceof SessionError) return error;
  if (error instanceof PairingCodeError) return new SessionError('refused', `The pairing code exchange failed: ${explainStatus(error.status)}`, error.status);
  if (error instanceof ClientError) {
    if (error.code === 'alert' && error.status !== undefined) {
      if (pattern === 'IK' && error.status === Status.AUTH_FAILED) return new SessionError('different-implant', DIFFERENT, error.status);
      return new SessionError('refused', explainStatus(error.status), error.status);
    }
    if (error.code === 'timeout') return new SessionError('timeout', 'The implant did not answer in time. Move closer and try again.');
    if (error.code === 'closed') return new SessionError('lost', 'The radio link was lost.');
    return new SessionError('protocol', 'The implant answered something this programmer could not read.');
  }
  const message = (error as Error).message ?? String(error);
  if (/not connectable/.test(message)) return new SessionError('lost', 'The implant is not accepting connections right now: it is starting, or it stopped advertising to save its battery after failed attempts (the magnet opens it again). Try again shortly.');
  return new SessionError('lost', `Bluetooth: ${message}`);
}

export class ImplantSession {
  private queue: Promise<unknown> = Promise.resolve();
  private lost = false;
  private readonly closedListeners: (() => void)[] = [];

  private constructor(
    readonly link: GattLink,
    readonly client: ProgrammerClient,
    readonly info: DeviceInfo,
    readonly identity: Identity,
    readonly pattern: 'IK' | 'XX',
    /** The 6-digit code to compare with the implant's after a pairing handshake. */
    readonly sas: string | undefined,
  ) {}

  static async open(options: OpenOptions): Promise<ImplantSession> {
    const link = await GattLink.open(options.device, { mtu: options.mtu });
    const known = options.known.keyOf(options.device.id);
    const pattern = known && !options.pair ? 'IK' : 'XX';
    try {
      const info = await link.readDeviceInfo();
      const client = new ProgrammerClient({
        link, clock: pageClock, crypto, pattern, timeoutMs: 8000,
        staticKey: options.identity.staticKey, certificate: options.identity.certificate,
        deviceStatic: pattern === 'IK' ? known : undefined,
      });
      const { handshakeHash, deviceStatic } = await client.connect();
      if (known && !equalBytes(known, deviceStatic)) throw new SessionError('different-implant', DIFFERENT);
      options.known.remember(options.device.id, options.device.name ?? 'Implant', deviceStatic);
      // A phone that just bonded runs the commit/reveal exchange that both ends derive the code from.
      const sas = pattern === 'XX' && options.identity.role === 'patient' ? await exchangePairingCode(client, crypto, handshakeHash) : undefined;
      const opened = new ImplantSession(link, client, info, options.identity, pattern, sas);
      link.device.addEventListener('gattserverdisconnected', () => opened.markLost());
      return opened;
    } catch (error) {
      link.close();
      throw asSessionError(error, pattern);
    }
  }

  get isOpen(): boolean {
    return !this.lost && this.link.isOpen;
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  /** Runs one command after the ones before it; a transport failure ends the session. */
  request(name: string, args: Record<string, CborValue> | Map<string, CborValue> = new Map()): Promise<CommandResponse> {
    const map = args instanceof Map ? args : new Map(Object.entries(args));
    const run = this.queue.then(() => this.client.request(name, map));
    this.queue = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      const failure = asSessionError(error, this.pattern);
      this.close();
      throw failure;
    });
  }

  /** Like request, but a refusal throws a SessionError in plain words. */
  async call(name: string, args: Record<string, CborValue> | Map<string, CborValue> = new Map()): Promise<CborValue> {
    const response = await this.request(name, args);
    if (response.status !== Status.OK) throw new SessionError('refused', explainStatus(response.status, response.result), response.status);
    return response.result;
  }

  close(): void {
    this.link.close();
    this.markLost();
  }

  private markLost(): void {
    if (this.lost) return;
    this.lost = true;
    for (const listener of this.closedListeners.splice(0)) listener();
  }
}
