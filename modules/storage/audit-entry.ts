// Audit entries and their one canonical byte encoding (what the chain hashes and the device
// MACs). Text fields are printable ASCII only, so an exported log renders the same everywhere
// and no entry can forge a line break or control sequence in a clinician's viewer.
import { readU32LE, writeU32LE } from '../core/bytes.js';
import { StorageError } from './errors.js';

export interface AuditActor {
  /** Role of whoever acted: 'patient', 'clinician', 'manufacturer', 'emergency', 'device', ... */
  role: string;
  /** Their key id (hex or a name); '' when there is none (the device itself, an anonymous peer). */
  keyId: string;
}

/** What callers append. */
export interface AuditEvent {
  /** Dotted event name, e.g. 'auth.handshake', 'therapy.program', 'ota.confirm'. */
  event: string;
  actor: AuditActor;
  /** 'ok', 'denied', 'failed', 'error', ... */
  outcome: string;
  /** Free text; longer text is cut and non-printable characters become '?'. */
  detail?: string;
}

/** What the log holds: the event plus its number and time. */
export interface AuditEntry extends AuditEvent {
  /** Position in the chain, from 1, never reused. */
  seq: number;
  /** Milliseconds since the Unix epoch by the device clock; 0 when the clock was not yet set. */
  time: number;
}

const VERSION = 1;
/** Field limits in characters (= bytes, ASCII). */
export const AUDIT_LIMITS = Object.freeze({ event: 48, role: 16, keyId: 64, outcome: 16, detail: 160 });

function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Makes free text storable: printable ASCII, at most the detail limit. */
export function cleanDetail(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && out.length < AUDIT_LIMITS.detail; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x20 && c <= 0x7e ? text[i] : '?';
  }
  return out;
}

function checkField(name: keyof typeof AUDIT_LIMITS, value: unknown, allowEmpty: boolean): string {
  if (typeof value !== 'string' || !isPrintable(value) || (!allowEmpty && value.length === 0)) {
    throw new StorageError('invalid', `audit ${name} must be ${allowEmpty ? '' : 'non-empty '}printable ASCII`);
  }
  if (value.length > AUDIT_LIMITS[name]) throw new StorageError('too-large', `audit ${name} longer than ${AUDIT_LIMITS[name]}`);
  return value;
}

/**
 * Encoding, little-endian: version u8 (1) | seq u32 | time u64 | then event, role, keyId,
 * outcome, detail, each as length u8 + ASCII bytes (an absent detail has length 0).
 */
export function encodeAuditEntry(entry: AuditEntry): Uint8Array {
  const fields = [
    checkField('event', entry.event, false),
    checkField('role', entry.actor?.role, false),
    checkField('keyId', entry.actor?.keyId, true),
    checkField('outcome', entry.outcome, false),
    checkField('detail', entry.detail ?? '', true),
  ];
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1 || entry.seq > 0xffffffff) throw new StorageError('invalid', `audit seq ${entry.seq}`);
  if (!Number.isSafeInteger(entry.time) || entry.time < 0) throw new StorageError('invalid', `audit time ${entry.time}`);
  let length = 13;
  for (const field of fields) length += 1 + field.length;
  const out = new Uint8Array(length);
  out[0] = VERSION;
  writeU32LE(out, 1, entry.seq);
  writeU32LE(out, 5, entry.time % 0x100000000);
  writeU32LE(out, 9, Math.floor(entry.time / 0x100000000));
  let at = 13;
  for (const field of fields) {
    out[at++] = field.length;
    for (let i = 0; i < field.length; i++) out[at++] = field.charCodeAt(i);
  }
  return out;
}

/** The entry, or undefined for bytes that are not exactly one canonical encoding. */
export function decodeAuditEntry(bytes: Uint8Array): AuditEntry | undefined {
  if (bytes.length < 18 || bytes[0] !== VERSION) return undefined;
  const seq = readU32LE(bytes, 1);
  const time = readU32LE(bytes, 9) * 0x100000000 + readU32LE(bytes, 5);
  const names = ['event', 'role', 'keyId', 'outcome', 'detail'] as const;
  const fields: string[] = [];
  let at = 13;
  for (const name of names) {
    if (at >= bytes.length) return undefined;
    const length = bytes[at++];
    if (length > AUDIT_LIMITS[name] || at + length > bytes.length) return undefined;
    let text = '';
    for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[at + i]);
    if (!isPrintable(text)) return undefined;
    fields.push(text);
    at += length;
  }
  const [event, role, keyId, outcome, detail] = fields;
  if (at !== bytes.length || seq === 0 || !Number.isSafeInteger(time) || !event || !role || !outcome) return undefined;
  const entry: AuditEntry = { seq, time, event, actor: { role, keyId }, outcome };
  if (detail) entry.detail = detail;
  return entry;
}
