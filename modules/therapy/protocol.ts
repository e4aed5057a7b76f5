// The message protocol between the main XS machine and the therapy worker. Messages are plain
// objects (XS marshalling copies them). The worker validates every request with parseRequest
// before acting: a malformed or out-of-range message is answered with an error and changes nothing.
// @req SAF-06 (docs/traceability.md)
import { isMarkerType, MARKER_TYPES } from './markers.js';
import type { MarkerType } from './markers.js';
import { MAX_ACTIVITY_LEVEL } from './rate-sensor.js';
import type { BatteryLevel } from './rules.js';
import { SAFE_MODE_RESETS } from './therapy.js';
import type { TherapyError } from './therapy.js';

export type Request =
  | { id: number; op: 'interrogate' | 'end-temporary' | 'session-ended' | 'pace-now' | 'clear-safe-mode' | 'reset-counters' }
  | { id: number; op: 'program'; target: 'permanent' | 'temporary'; changes: Record<string, number | boolean | string> }
  | { id: number; op: 'restore'; params: Record<string, number | boolean | string>; checksum: number }
  | { id: number; op: 'markers'; on: boolean }
  | { id: number; op: 'magnet'; present: boolean }
  | { id: number; op: 'battery'; level: BatteryLevel }
  | { id: number; op: 'activity'; level: number }
  /** The main side's persistent reset history, sent once storage is up: resets before this boot inside the window, and the latch. */
  | { id: number; op: 'reset-history'; prior: number; latched: boolean };

export type Reply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: TherapyError };

/** Unsolicited messages from the worker. */
export type WorkerEvent =
  /** Markers as flat pairs [t, type index into MARKER_TYPES, ...]; `seq` numbers the first pair. */
  | { ev: 'markers'; seq: number; pairs: number[] }
  /** Proof of life every HEARTBEAT_MS, with the last ventricular event for the backup pacer. */
  | { ev: 'heartbeat'; t: number; lastV: number | null };

export const HEARTBEAT_MS = 250;
export const MAX_ID = 0xffffffff;
const MAX_CHANGES = 40;
const MAX_TEXT = 16;

const SIMPLE_OPS = Object.freeze(['interrogate', 'end-temporary', 'session-ended', 'pace-now', 'clear-safe-mode', 'reset-counters']);
const BATTERY_LEVELS = Object.freeze(['BOL', 'ERN', 'ERT', 'ERP']);

export interface ProtocolError {
  readonly id: number | null;
  readonly error: TherapyError;
}

function bad(id: number | null, field: string, message: string): ProtocolError {
  return { id, error: { code: 'bad-message', parameter: field, message } };
}

function plainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function onlyKeys(o: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of Object.keys(o)) if (!keys.includes(k)) return k;
  return null;
}

/** A flat record of parameter values: bounded size, primitive values only (the grid check comes later). */
function valueRecord(v: unknown): Record<string, number | boolean | string> | string {
  if (!plainObject(v)) return 'expected an object';
  const keys = Object.keys(v);
  if (keys.length > MAX_CHANGES) return 'too many entries';
  for (const k of keys) {
    const x = v[k];
    const okValue = typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && x.length <= MAX_TEXT);
    if (k.length > 32 || !okValue) return `bad entry ${k.slice(0, 32)}`;
  }
  return v as Record<string, number | boolean | string>;
}

/** Checks one message from the main machine; returns the typed request or an error to answer. */
export function parseRequest(message: unknown): Request | ProtocolError {
  if (!plainObject(message)) return bad(null, '', 'expected an object');
  const id = message.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) return bad(null, 'id', 'expected an integer id');
  const op = message.op;
  if (typeof op !== 'string') return bad(id, 'op', 'expected an operation name');
  const extra = (keys: string[]): ProtocolError | null => {
    const k = onlyKeys(message, ['id', 'op', ...keys]);
    return k === null ? null : bad(id, k, 'unknown field');
  };
  if (SIMPLE_OPS.includes(op)) return extra([]) ?? ({ id, op } as Request);
  switch (op) {
    case 'program': {
      const target = message.target;
      if (target !== 'permanent' && target !== 'temporary') return bad(id, 'target', 'expected permanent or temporary');
      const changes = valueRecord(message.changes);
      if (typeof changes === 'string') return bad(id, 'changes', changes);
      return extra(['target', 'changes']) ?? { id, op, target, changes };
    }
    case 'restore': {
      const params = valueRecord(message.params);
      if (typeof params === 'string') return bad(id, 'params', params);
      const checksum = message.checksum;
      if (typeof checksum !== 'number' || !Number.isInteger(checksum) || checksum < 0 || checksum > MAX_ID) return bad(id, 'checksum', 'expected a uint32');
      return extra(['params', 'checksum']) ?? { id, op, params, checksum };
    }
    case 'markers':
      if (typeof message.on !== 'boolean') return bad(id, 'on', 'expected true or false');
      return extra(['on']) ?? { id, op, on: message.on };
    case 'magnet':
      if (typeof message.present !== 'boolean') return bad(id, 'present', 'expected true or false');
      return extra(['present']) ?? { id, op, present: message.present };
    case 'battery':
      if (typeof message.level !== 'string' || !BATTERY_LEVELS.includes(message.level)) return bad(id, 'level', 'expected BOL, ERN, ERT or ERP');
      return extra(['level']) ?? { id, op, level: message.level as BatteryLevel };
    case 'activity': {
      const level = message.level;
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > MAX_ACTIVITY_LEVEL) return bad(id, 'level', `expected an integer 0..${MAX_ACTIVITY_LEVEL}`);
      return extra(['level']) ?? { id, op, level };
    }
    case 'reset-history': {
      const prior = message.prior;
      // More than the rule's count adds nothing: it latches either way.
      if (typeof prior !== 'number' || !Number.isInteger(prior) || prior < 0 || prior > SAFE_MODE_RESETS) return bad(id, 'prior', `expected an integer 0..${SAFE_MODE_RESETS}`);
      if (typeof message.latched !== 'boolean') return bad(id, 'latched', 'expected true or false');
      return extra(['prior', 'latched']) ?? { id, op, prior, latched: message.latched };
    }
    default:
      return bad(id, 'op', 'unknown operation');
  }
}

export function isProtocolError(r: Request | ProtocolError): r is ProtocolError {
  return 'error' in r;
}

export function markerIndex(type: MarkerType): number {
  return MARKER_TYPES.indexOf(type);
}

/** Decodes a markers event on the main side; unknown indices are dropped. */
export function decodeMarkers(pairs: readonly number[]): { t: number; type: MarkerType }[] {
  const out: { t: number; type: MarkerType }[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const type = MARKER_TYPES[pairs[i + 1]];
    if (isMarkerType(type)) out.push({ t: pairs[i], type });
  }
  return out;
}
