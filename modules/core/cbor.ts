// Strict deterministic CBOR (RFC 8949 §4.2.1 "core deterministic encoding") for the subset the
// firmware uses: unsigned and negative integers (64-bit, as bigint beyond 2^53), byte strings,
// UTF-8 text strings, arrays, maps with integer or text keys, tags, true, false and null.
// The decoder accepts only what the encoder produces: one canonical byte string per value.
// Floats, undefined and other simple values are outside the subset and rejected.
// @req SEC-16 (docs/traceability.md)

export type CborKey = number | string;
export type CborValue =
  | number
  | bigint
  | string
  | Uint8Array
  | boolean
  | null
  | CborValue[]
  | CborMap
  | CborTag;
export type CborMap = Map<CborKey, CborValue>;

/** A tagged item (RFC 8949 §3.4). */
export class CborTag {
  constructor(readonly tag: number, readonly value: CborValue) {}
}

export type CborErrorCode =
  | 'truncated'           // input ends inside an item, or a length exceeds the remaining input
  | 'trailing-bytes'      // bytes left after the single top-level item
  | 'indefinite-length'   // additional information 31 (§3.2.1), never deterministic
  | 'non-minimal'         // an argument not in its shortest form (§4.2.1)
  | 'duplicate-key'
  | 'unsorted-keys'       // map keys not in bytewise lexicographic order of their encodings
  | 'invalid-key'         // map key that is neither a safe integer nor a text string
  | 'unsupported'         // floats, simple values other than false/true/null, reserved info 28-30
  | 'invalid-utf8'
  | 'too-deep'
  | 'too-large'           // input or item count above the configured limit
  | 'invalid-value';      // encoder: a JS value outside the subset (fractional number, lone surrogate, ...)

export class CborError extends Error {
  constructor(readonly code: CborErrorCode, detail = '') {
    super(detail ? `CBOR ${code}: ${detail}` : `CBOR ${code}`);
    this.name = 'CborError';
  }
}

export interface CborLimits {
  /** Largest accepted input in bytes. */
  readonly maxBytes?: number;
  /** Deepest nesting of arrays, maps and tags: a top-level container is depth 1, scalars do not count. */
  readonly maxDepth?: number;
  /** Largest element count of any single array or map. */
  readonly maxItems?: number;
}

export const DEFAULT_CBOR_LIMITS = Object.freeze({ maxBytes: 65536, maxDepth: 16, maxItems: 1024 });

const MAX_U64 = 0xffffffffffffffffn;

// ---------------------------------------------------------------------------------------------
// Encoding

class Writer {
  private buf = new Uint8Array(64);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** Major type and argument in the shortest form (§4.2.1). */
  head(major: number, arg: number | bigint): void {
    const m = major << 5;
    if (typeof arg === 'number' && arg < 24) return this.byte(m | arg);
    if (typeof arg === 'number' && arg <= 0xff) return this.byte(m | 24), this.byte(arg);
    if (typeof arg === 'number' && arg <= 0xffff) return this.byte(m | 25), this.byte(arg >> 8), this.byte(arg & 0xff);
    if (typeof arg === 'number' && arg <= 0xffffffff) {
      this.byte(m | 26);
      for (let s = 24; s >= 0; s -= 8) this.byte((arg >>> s) & 0xff);
      return;
    }
    const big = BigInt(arg);
    if (big <= 0xffffffffn) return this.head(major, Number(big));
    this.byte(m | 27);
    for (let s = 56n; s >= 0n; s -= 8n) this.byte(Number((big >> s) & 0xffn));
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function encodeInteger(w: Writer, value: number | bigint): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new CborError('invalid-value', `not an integer: ${value}`);
  if (value >= 0) {
    if (BigInt(value) > MAX_U64) throw new CborError('invalid-value', 'integer above 2^64-1');
    w.head(0, value);
  } else {
    const n = typeof value === 'number' ? -1 - value : -1n - value;
    if (BigInt(n) > MAX_U64) throw new CborError('invalid-value', 'integer below -2^64');
    w.head(1, n);
  }
}

function encodeText(w: Writer, text: string): void {
  const bytes = encodeUtf8(text);
  w.head(3, bytes.length);
  w.bytes(bytes);
}

function encodeItem(w: Writer, value: CborValue, depth: number): void {
  if (typeof value === 'number' || typeof value === 'bigint') return encodeInteger(w, value);
  if (typeof value === 'string') return encodeText(w, value);
  if (value === false) return w.byte(0xf4);
  if (value === true) return w.byte(0xf5);
  if (value === null) return w.byte(0xf6);
  if (value instanceof Uint8Array) {
    w.head(2, value.length);
    return w.bytes(value);
  }
  const container = Array.isArray(value) || value instanceof Map || value instanceof CborTag;
  if (container && depth > DEFAULT_CBOR_LIMITS.maxDepth) throw new CborError('too-deep');
  if (Array.isArray(value)) {
    w.head(4, value.length);
    for (const item of value) encodeItem(w, item, depth + 1);
    return;
  }
  if (value instanceof Map) return encodeMap(w, value, depth);
  if (value instanceof CborTag) {
    if (!Number.isSafeInteger(value.tag) || value.tag < 0) throw new CborError('invalid-value', 'tag number');
    w.head(6, value.tag);
    return encodeItem(w, value.value, depth + 1);
  }
  throw new CborError('invalid-value', `unsupported JS value ${typeof value}`);
}

function encodeMap(w: Writer, map: CborMap, depth: number): void {
  const entries: { key: Uint8Array; value: CborValue }[] = [];
  for (const [key, value] of map) {
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isSafeInteger(key))) {
      throw new CborError('invalid-key', String(key));
    }
    const kw = new Writer();
    encodeItem(kw, key, depth + 1);
    entries.push({ key: kw.result(), value });
  }
  // §4.2.1: keys sorted by the bytewise lexicographic order of their deterministic encodings.
  entries.sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < entries.length; i++) {
    if (compareBytes(entries[i - 1].key, entries[i].key) === 0) throw new CborError('duplicate-key');
  }
  w.head(5, entries.length);
  for (const entry of entries) {
    w.bytes(entry.key);
    encodeItem(w, entry.value, depth + 1);
  }
}

/** Encodes `value` deterministically; throws CborError('invalid-value' | 'invalid-key' | ...) otherwise. */
export function encodeCbor(value: CborValue): Uint8Array {
  const w = new Writer();
  encodeItem(w, value, 1);
  return w.result();
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface DecodeState {
  readonly bytes: Uint8Array;
  pos: number;
  readonly maxDepth: number;
  readonly maxItems: number;
}

function need(s: DecodeState, n: number): void {
  if (n > s.bytes.length - s.pos) throw new CborError('truncated', `need ${n} bytes at offset ${s.pos}`);
}

/** Reads a head; returns [major type, argument]. The argument is a bigint only above 2^53-1. */
function readHead(s: DecodeState): [number, number | bigint] {
  need(s, 1);
  const initial = s.bytes[s.pos++];
  const major = initial >> 5;
  const info = initial & 31;
  if (info < 24) return [major, info];
  if (info === 31) throw new CborError('indefinite-length', `at offset ${s.pos - 1}`);
  if (info > 27) throw new CborError('unsupported', `reserved additional information ${info}`);
  const size = 1 << (info - 24);
  need(s, size);
  let arg: number | bigint;
  if (size <= 4) {
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + s.bytes[s.pos + i];
    arg = n;
  } else {
    let n = 0n;
    for (let i = 0; i < 8; i++) n = (n << 8n) | BigInt(s.bytes[s.pos + i]);
    arg = n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  s.pos += size;
  // §4.2.1: the argument must not fit in a shorter head. Simple values (major 7) are screened later.
  const floor = size === 1 ? 24 : size === 2 ? 0x100 : size === 4 ? 0x10000 : 0x100000000;
  if (major !== 7 && arg < floor) throw new CborError('non-minimal', `at offset ${s.pos - size - 1}`);
  return [major, arg];
}

function lengthOf(s: DecodeState, arg: number | bigint): number {
  // A length can never exceed the remaining input; checking before allocating caps memory use.
  if (typeof arg === 'bigint' || arg > s.bytes.length - s.pos) throw new CborError('truncated', 'length beyond input');
  return arg;
}

function countOf(s: DecodeState, arg: number | bigint, minItemBytes: number): number {
  const count = lengthOf(s, arg);
  if (count > s.maxItems) throw new CborError('too-large', `${count} items`);
  if (count * minItemBytes > s.bytes.length - s.pos) throw new CborError('truncated', 'count beyond input');
  return count;
}

function decodeItem(s: DecodeState, depth: number): CborValue {
  const start = s.pos;
  const [major, arg] = readHead(s);
  if (major >= 4 && major <= 6 && depth > s.maxDepth) throw new CborError('too-deep');
  switch (major) {
    case 0:
      return arg;
    case 1:
      return typeof arg === 'number' && arg < Number.MAX_SAFE_INTEGER ? -1 - arg : -1n - BigInt(arg);
    case 2: {
      const n = lengthOf(s, arg);
      const out = s.bytes.slice(s.pos, s.pos + n);
      s.pos += n;
      return out;
    }
    case 3: {
      const n = lengthOf(s, arg);
      const text = decodeUtf8(s.bytes, s.pos, s.pos + n);
      s.pos += n;
      return text;
    }
    case 4: {
      const count = countOf(s, arg, 1);
      const out: CborValue[] = [];
      for (let i = 0; i < count; i++) out.push(decodeItem(s, depth + 1));
      return out;
    }
    case 5:
      return decodeMap(s, countOf(s, arg, 2), depth);
    case 6: {
      if (typeof arg === 'bigint') throw new CborError('unsupported', 'tag number above 2^53');
      return new CborTag(arg, decodeItem(s, depth + 1));
    }
    default: {
      const info = s.bytes[start] & 31;
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      throw new CborError('unsupported', `simple value or float 0x${s.bytes[start].toString(16)}`);
    }
  }
}

function decodeMap(s: DecodeState, count: number, depth: number): CborMap {
  const map: CborMap = new Map();
  let previous: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const keyStart = s.pos;
    const key = decodeItem(s, depth + 1);
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isSafeInteger(key))) {
      throw new CborError('invalid-key', `at offset ${keyStart}`);
    }
    // The key's input bytes are its deterministic encoding, so ordering is checked on them directly.
    const encoded = s.bytes.subarray(keyStart, s.pos);
    if (previous) {
      const order = compareBytes(previous, encoded);
      if (order === 0) throw new CborError('duplicate-key', `at offset ${keyStart}`);
      if (order > 0) throw new CborError('unsorted-keys', `at offset ${keyStart}`);
    }
    previous = encoded;
    map.set(key, decodeItem(s, depth + 1));
  }
  return map;
}

/** Decodes exactly one deterministic CBOR item filling `bytes`; throws CborError otherwise. */
export function decodeCbor(bytes: Uint8Array, limits: CborLimits = DEFAULT_CBOR_LIMITS): CborValue {
  const maxBytes = limits.maxBytes ?? DEFAULT_CBOR_LIMITS.maxBytes;
  if (bytes.length > maxBytes) throw new CborError('too-large', `${bytes.length} bytes`);
  const s: DecodeState = {
    bytes,
    pos: 0,
    maxDepth: limits.maxDepth ?? DEFAULT_CBOR_LIMITS.maxDepth,
    maxItems: limits.maxItems ?? DEFAULT_CBOR_LIMITS.maxItems,
  };
  const value = decodeItem(s, 1);
  if (s.pos !== bytes.length) throw new CborError('trailing-bytes', `${bytes.length - s.pos} bytes`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// UTF-8 (RFC 3629), strict both ways: no TextEncoder/TextDecoder on every Moddable runtime.

function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw new CborError('invalid-value', 'lone surrogate in text');
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; ) {
    const b = bytes[i];
    let c: number, n: number, min: number;
    if (b < 0x80) (c = b), (n = 0), (min = 0);
    else if (b >= 0xc2 && b <= 0xdf) (c = b & 0x1f), (n = 1), (min = 0x80);
    else if (b >= 0xe0 && b <= 0xef) (c = b & 0x0f), (n = 2), (min = 0x800);
    else if (b >= 0xf0 && b <= 0xf4) (c = b & 0x07), (n = 3), (min = 0x10000);
    else throw new CborError('invalid-utf8', `byte 0x${b.toString(16)}`);
    for (let k = 1; k <= n; k++) {
      const cont = bytes[i + k];
      if (i + k >= end || (cont & 0xc0) !== 0x80) throw new CborError('invalid-utf8', 'bad continuation');
      c = (c << 6) | (cont & 63);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) throw new CborError('invalid-utf8', 'overlong, surrogate or out of range');
    out += String.fromCodePoint(c);
    i += n + 1;
  }
  return out;
}
