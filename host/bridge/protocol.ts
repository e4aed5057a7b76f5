// The simulator bridge's wire format (docs/bridge.md, protocol v1): JSON text frames on the
// /bridge (GATT) and /control (simulator) WebSockets. Parsing is strict: a frame that is not a
// JSON object with a numeric id and a known op, or whose fields have the wrong types, is refused
// with a close code and a reason naming what was wrong, and nothing reaches the simulated board.
// Shared by the server (host/bridge/server.ts) and the CLI's client (tools/cli/sim-client/).

export const BRIDGE_PROTOCOL = 1;
/** Largest text frame either socket accepts (4 KiB); larger ones close the socket with 1009. */
export const MAX_FRAME_BYTES = 4096;

/** WebSocket close codes the bridge uses (RFC 6455 §7.4.1). */
export const Close = Object.freeze({
  GOING_AWAY: 1001,
  UNSUPPORTED: 1003,
  TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
});

export const GATT_OPS = Object.freeze(['scan', 'connect', 'mtu', 'discover', 'read', 'write', 'subscribe', 'unsubscribe', 'disconnect'] as const);
export type GattOp = (typeof GATT_OPS)[number];
export const CONTROL_OPS = Object.freeze(['state', 'button', 'scenario', 'battery', 'reboot', 'power-cut'] as const);
export type ControlOp = (typeof CONTROL_OPS)[number];
export const BATTERY_STATUSES = Object.freeze(['BOL', 'ERN', 'ERT', 'ERP'] as const);
export type BatteryStatus = (typeof BATTERY_STATUSES)[number];

export type GattRequest =
  | { id: number; op: 'scan' | 'discover' | 'disconnect' }
  /** `address`: the advertiser a scan showed (12 hex digits, least significant byte first); without it, the implant. */
  | { id: number; op: 'connect'; address?: string }
  | { id: number; op: 'mtu'; mtu: number }
  | { id: number; op: 'read' | 'subscribe' | 'unsubscribe'; service: string; characteristic: string }
  | { id: number; op: 'write'; service: string; characteristic: string; value: string; withResponse: boolean };

export type ControlRequest =
  | { id: number; op: 'state' | 'reboot' | 'power-cut' }
  | { id: number; op: 'button'; held: boolean }
  | { id: number; op: 'scenario'; name: string }
  | { id: number; op: 'battery'; status?: BatteryStatus; voltage?: number };

export type Reply = { id: number; ok: true; [field: string]: unknown } | { id: number; ok: false; error: string };

export type GattEvent =
  | { event: 'notification'; service: string; characteristic: string; value: string }
  | { event: 'disconnected'; reason: string };

export interface ConsoleEventFrame {
  event: 'console';
  /** Milliseconds since this boot (the firmware's console time), or null for a line without one. */
  t: number | null;
  topic: string;
  text: string;
}

export interface CharacteristicInfo {
  uuid: string;
  properties: string[];
}

export interface ServiceInfo {
  uuid: string;
  characteristics: CharacteristicInfo[];
}

/** What the simulator reports of itself (GET /api/sim and the control socket's state). */
export interface SimState {
  scenario: string;
  scenarios: string[];
  button: boolean;
  battery: { voltage: number; status: BatteryStatus };
  board: string;
  firmware: string;
  devIdentities: boolean;
}

/** A refused frame: the socket closes with `code` and `reason`. */
export class FrameError extends Error {
  constructor(readonly code: number, readonly reason: string) {
    super(reason);
    this.name = 'FrameError';
  }
}

/** Lowercase hex, an even number of digits (empty allowed). */
export const HEX = /^(?:[0-9a-f]{2})*$/;
/** A UUID in full 128-bit lowercase form. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BLUETOOTH_BASE = '-0000-1000-8000-00805f9b34fb';

/** A bleservices UUID ("1800", "7E5A0001-...") in the bridge's form: full 128-bit, lowercase. */
export function fullUuid(uuid: string): string {
  const u = uuid.toLowerCase();
  if (/^[0-9a-f]{4}$/.test(u)) return `0000${u}${BLUETOOTH_BASE}`;
  if (/^[0-9a-f]{8}$/.test(u)) return `${u}${BLUETOOTH_BASE}`;
  return u;
}

function unsupported(reason: string): never {
  throw new FrameError(Close.UNSUPPORTED, reason);
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    unsupported('malformed JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) unsupported('a frame must be a JSON object');
  const frame = value as Record<string, unknown>;
  if (typeof frame.id !== 'number' || !Number.isSafeInteger(frame.id)) unsupported('missing or non-integer id');
  return frame;
}

function field<T>(frame: Record<string, unknown>, name: string, check: (v: unknown) => v is T, what: string): T {
  const v = frame[name];
  if (!check(v)) unsupported(`${frame.op}: ${name} must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isHex = (v: unknown): v is string => typeof v === 'string' && HEX.test(v);
const isAddress = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{12}$/.test(v);
const isMtu = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 23 && (v as number) <= 517;

/** A /bridge frame, checked; throws FrameError (close 1003) naming the problem. */
export function parseGattRequest(text: string): GattRequest {
  const frame = parseObject(text);
  const op = frame.op;
  if (!GATT_OPS.includes(op as GattOp)) unsupported(`unknown op ${JSON.stringify(op)}`);
  const id = frame.id as number;
  switch (op as GattOp) {
    case 'connect':
      return frame.address === undefined ? { id, op: 'connect' } : { id, op: 'connect', address: field(frame, 'address', isAddress, '12 lowercase hex digits') };
    case 'scan':
    case 'discover':
    case 'disconnect':
      return { id, op: op as 'scan' };
    case 'mtu':
      return { id, op: 'mtu', mtu: field(frame, 'mtu', isMtu, 'an integer 23..517') };
    case 'write':
      return {
        id, op: 'write',
        service: field(frame, 'service', isUuid, 'a lowercase 128-bit UUID'),
        characteristic: field(frame, 'characteristic', isUuid, 'a lowercase 128-bit UUID'),
        value: field(frame, 'value', isHex, 'lowercase hex'),
        withResponse: field(frame, 'withResponse', isBool, 'a boolean'),
      };
    default:
      return {
        id, op: op as 'read',
        service: field(frame, 'service', isUuid, 'a lowercase 128-bit UUID'),
        characteristic: field(frame, 'characteristic', isUuid, 'a lowercase 128-bit UUID'),
      };
  }
}

/** A /control frame, checked; throws FrameError (close 1003) naming the problem. */
export function parseControlRequest(text: string, scenarios: readonly string[]): ControlRequest {
  const frame = parseObject(text);
  const op = frame.op;
  if (!CONTROL_OPS.includes(op as ControlOp)) unsupported(`unknown op ${JSON.stringify(op)}`);
  const id = frame.id as number;
  switch (op as ControlOp) {
    case 'button':
      return { id, op: 'button', held: field(frame, 'held', isBool, 'a boolean') };
    case 'scenario': {
      const name = field(frame, 'name', isString, 'a string');
      if (!scenarios.includes(name)) unsupported(`scenario: unknown scenario ${JSON.stringify(name)}`);
      return { id, op: 'scenario', name };
    }
    case 'battery': {
      if (frame.status !== undefined) {
        const status = field(frame, 'status', (v): v is BatteryStatus => BATTERY_STATUSES.includes(v as BatteryStatus), BATTERY_STATUSES.join(' | '));
        return { id, op: 'battery', status };
      }
      const voltage = field(frame, 'voltage', (v): v is number => typeof v === 'number' && v >= 0 && v <= 5, 'a number of volts 0..5 (or give status)');
      return { id, op: 'battery', voltage };
    }
    default:
      return { id, op: op as 'state' };
  }
}

/**
 * Battery status from a cell voltage: the elective replacement indicators of a pacemaker-class
 * lithium-iodine cell (2.8 V at beginning of life). The pins of the boards express BOL, ERN and
 * ERT; ERP (end of replacement period) drives the same lines as ERT.
 */
export const BATTERY_VOLTS: Readonly<Record<BatteryStatus, number>> = Object.freeze({ BOL: 2.8, ERN: 2.6, ERT: 2.5, ERP: 2.4 });

export function batteryStatusOf(voltage: number): BatteryStatus {
  if (voltage > 2.6) return 'BOL';
  if (voltage > 2.5) return 'ERN';
  if (voltage > 2.4) return 'ERT';
  return 'ERP';
}
