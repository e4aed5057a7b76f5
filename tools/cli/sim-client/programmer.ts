// One programmer session for a CLI command (docs/cli.md): resolves the identity, opens the
// /bridge socket and the secure channel, runs the command's body, and turns every way it can
// end into a documented exit code and one clear line.
import { Status } from '../../../modules/channel/status.js';
import type { CborValue } from '../../../modules/core/cbor.js';
import { fromHex, toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { statusName } from '../../../modules/status/registry.js';
import { ClientError } from '../../../programmer/client.js';
import { findBonded, IrkError } from '../../../programmer/device-bonds.js';
import type { DeviceBond } from '../../../programmer/device-bonds.js';
import type { CommandResponse } from '../../../programmer/client.js';
import { BridgeError } from '../../../host/bridge/gatt-link.js';
import { openSession } from '../../../host/bridge/session.js';
import type { Session } from '../../../host/bridge/session.js';
import { WallClock } from '../../../host/shims/host/wall-clock.js';
import { UsageError } from '../args.js';
import type { Parsed } from '../args.js';
import type { CliIO } from '../command.js';
import { loadBonds } from './bond-store.js';
import { BridgeSocket, ControlSocket, SimUnreachable } from './bridge-socket.js';
import { resolveIdentity, simUrl } from './identity.js';
import type { DevRole, ResolvedIdentity } from './identity.js';

/** Exit codes of the programmer commands (docs/cli.md). */
export const Exit = Object.freeze({
  OK: 0,
  /** The device refused the command (its status is printed), or a check failed (audit verify, update trial). */
  REFUSED: 1,
  USAGE: 2,
  /** The simulator could not be reached, the device was not connectable, or the link was lost. */
  UNREACHABLE: 3,
  /** The secure channel was refused (lockout, unknown key, certificate, pattern not allowed). */
  AUTH: 4,
});

/** Presence (debounced over two 50 ms samples) is asserted this long before the command. */
const PRESENCE_SETTLE_MS = 250;
/** Short of the 3 s hold that would open the pairing window on release. */
const PRESENCE_RETRY_MS = 2000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A status code's name, from the firmware's status registry. */
export const describeStatus = statusName;

/** CBOR results as JSON: maps to objects, byte strings to lowercase hex. */
export function cborToJson(value: CborValue): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(cborToJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), cborToJson(v)]));
  return value;
}

/** The device answered with a status other than OK. */
export class CommandRefused extends Error {
  constructor(readonly command: string, readonly status: number, readonly result: unknown) {
    super(`${command}: refused, ${describeStatus(status)} (status ${status})${typeof (result as { message?: unknown })?.message === 'string' ? `: ${(result as { message: string }).message}` : ''}`);
    this.name = 'CommandRefused';
  }
}

export class Programmer {
  private control: ControlSocket | undefined;

  constructor(readonly session: Session, readonly identity: ResolvedIdentity, private readonly sim: string, readonly socket: BridgeSocket) {}

  /** Runs a command; resolves with its result as JSON, or throws CommandRefused. */
  async run(name: string, args: CborValue = new Map(), options: { bulk?: boolean } = {}): Promise<unknown> {
    const response: CommandResponse = await this.session.client.request(name, args, options);
    const result = cborToJson(response.result);
    if (response.status !== Status.OK) throw new CommandRefused(name, response.status, result);
    return result;
  }

  /** The simulator's /control socket (button, console), opened on first use. */
  async controls(): Promise<ControlSocket> {
    this.control ??= await ControlSocket.open(this.sim);
    return this.control;
  }

  /**
   * Holds the simulated button (presence: the magnet) while `body` runs. The device samples the
   * button every 50 ms and debounces it; a busy device may see it late, so a PRESENCE_REQUIRED
   * answer (a thrown refusal or a returned status) is tried again for up to PRESENCE_RETRY_MS.
   */
  async withPresence<T>(body: () => Promise<T>): Promise<T> {
    const control = await this.controls();
    await control.request('button', { held: true });
    const refusedForPresence = (x: unknown) => (x instanceof CommandRefused ? x.status : (x as { status?: unknown })?.status) === Status.PRESENCE_REQUIRED;
    try {
      await sleep(PRESENCE_SETTLE_MS);
      for (let waited = 0; ; waited += PRESENCE_SETTLE_MS) {
        let result: T;
        try {
          result = await body();
        } catch (error) {
          if (!refusedForPresence(error) || waited >= PRESENCE_RETRY_MS) throw error;
          await sleep(PRESENCE_SETTLE_MS);
          continue;
        }
        if (!refusedForPresence(result) || waited >= PRESENCE_RETRY_MS) return result;
        await sleep(PRESENCE_SETTLE_MS);
      }
    } finally {
      await control.request('button', { held: false }).catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.session.link.close();
    this.socket.close();
    this.control?.close();
  }
}

/** How long a connect keeps trying while the device is not connectable (busy with another central, booting). */
const SCAN_MS = 5000;
const NOT_IN_RANGE = 'no bonded implant in range';

/** Scans the air for the implant of one of `bonds` (its IRK resolves the address, or its fixed address shows). */
async function findImplant(socket: BridgeSocket, bonds: readonly DeviceBond[]): Promise<{ address: Uint8Array; bond: DeviceBond }> {
  const { advertisers } = (await socket.call({ op: 'scan' })) as { advertisers: { address: string }[] };
  const found = findBonded(advertisers.map((a) => ({ address: fromHex(a.address) })), bonds);
  if (!found) throw new BridgeError(NOT_IN_RANGE);
  return { address: found.advertiser.address, bond: found.bond };
}

/**
 * Opens a session as `identity` over a new /bridge socket, scanning up to SCAN_MS for the device.
 * With `bonds` it connects to the advertiser one of them recognises, by IK with that bond's key.
 */
export async function connectProgrammer(sim: string, identity: ResolvedIdentity, bonds?: readonly DeviceBond[]): Promise<Programmer> {
  const deadline = Date.now() + SCAN_MS;
  for (;;) {
    const socket = await BridgeSocket.open(sim);
    try {
      const target = bonds && (await findImplant(socket, bonds));
      const who = target ? { ...identity, deviceStatic: target.bond.deviceStatic } : identity;
      const session = await openSession(socket, who, nobleProvider, new WallClock(), undefined, target?.address);
      return new Programmer(session, who, sim, socket);
    } catch (error) {
      socket.close();
      const busy = error instanceof BridgeError && (error.message === 'not connectable' || error.message === NOT_IN_RANGE || error.message.startsWith('the device is off'));
      if (!busy || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/** Exit code and message for an error of a programmer command; rethrows what is not one. */
export function failure(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError) throw error;
  if (error instanceof CommandRefused || error instanceof IrkError) return { code: Exit.REFUSED, message: error.message };
  if (error instanceof SimUnreachable) return { code: Exit.UNREACHABLE, message: error.message };
  if (error instanceof BridgeError) return { code: Exit.UNREACHABLE, message: `the device: ${error.message}` };
  if (error instanceof ClientError) {
    if (error.code === 'alert') return { code: Exit.AUTH, message: `the device refused the session: ${describeStatus(error.status!)} (status ${error.status})` };
    return { code: Exit.UNREACHABLE, message: `the link failed: ${error.code}` };
  }
  throw error;
}

/** The bonds of `--bonds FILE`, if given (a file without any is a usage error: pair first). */
async function bondsOf(args: Parsed): Promise<DeviceBond[] | undefined> {
  const file = args.flags.bonds;
  if (typeof file !== 'string') return undefined;
  const bonds = await loadBonds(file);
  if (bonds.length === 0) throw new UsageError(`${file} holds no bonds: pair with --bonds ${file} first`);
  return bonds;
}

/** The usual frame of a programmer command: identity, session, body, exit code. */
export async function programmerCommand(
  name: string, args: Parsed, io: CliIO, defaultRole: DevRole, body: (p: Programmer) => Promise<{ json: unknown; text: string; code?: number }>,
): Promise<number> {
  const sim = simUrl(args);
  const json = args.flags.json === true;
  let programmer: Programmer | undefined;
  try {
    const identity = await resolveIdentity(args, defaultRole);
    if (identity.development) io.err(`implant ${name}: using the simulator's DEVELOPMENT KEYS (${identity.role})`);
    programmer = await connectProgrammer(sim, identity, await bondsOf(args));
    const result = await body(programmer);
    io.out(json ? JSON.stringify(result.json) : result.text);
    return result.code ?? Exit.OK;
  } catch (error) {
    const { code, message } = failure(error);
    if (json) io.out(JSON.stringify({ error: message, exit: code }));
    io.err(`implant ${name}: ${message}`);
    return code;
  } finally {
    await programmer?.close().catch(() => {});
  }
}
