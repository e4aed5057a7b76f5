// Host shim of Moddable "btutils" (modules/network/ble/btutils.js): the Bytes class, the uuid and
// address template tags (hex written most significant byte first, stored little-endian as the
// stacks use it), the typed value converters the BLE classes apply to characteristic values, and
// advertisement serialization with the 31-byte limit.
import GAP from './gap.js';

export type CharacteristicType =
  | 'ArrayBuffer' | 'String' | 'Array' | 'Uint8' | 'Uint16' | 'Int16' | 'Uint32'
  | 'Uint8Array' | 'Int8Array' | 'Int16Array' | 'Uint16Array';

function hexBytes(hex: string): number[] {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('invalid hex string');
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

export class Bytes extends ArrayBuffer {
  constructor(bytes: string | ArrayBuffer, littleEndian?: boolean) {
    if (typeof bytes === 'string') super(bytes.length >> 1);
    else if (bytes instanceof ArrayBuffer) super(bytes.byteLength);
    else throw new Error('unsupported type');
    this.set(bytes, littleEndian === true);
  }

  set(bytes: string | ArrayBuffer, littleEndian: boolean): void {
    const values = typeof bytes === 'string' ? hexBytes(bytes) : Array.from(new Uint8Array(bytes));
    if (littleEndian) values.reverse();
    new Uint8Array(this).set(values.slice(0, this.byteLength));
  }

  equals(other: ArrayBuffer): boolean {
    if (!(other instanceof ArrayBuffer) || other.byteLength !== this.byteLength) return false;
    const a = new Uint8Array(this), b = new Uint8Array(other);
    return a.every((x, i) => x === b[i]);
  }

  /** Most significant byte first: "AA:BB:.." for 6 bytes, dashed form for 16-byte UUIDs. */
  override toString(): string {
    const hex = Array.from(new Uint8Array(this)).reverse().map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
    if (this.byteLength === 6) return hex.join(':');
    if (this.byteLength === 16) {
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    }
    return hex.join('');
  }
}

export function uuid(strings: TemplateStringsArray): Bytes {
  return new Bytes(strings[0].replaceAll('-', ''), true);
}

export function address(strings: TemplateStringsArray): Bytes {
  return new Bytes(strings[0].replaceAll(':', ''), true);
}

/** XS's ArrayBuffer.fromString / String.fromArrayBuffer are UTF-8. */
const toUtf8 = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
const fromUtf8 = (b: ArrayBuffer) => new TextDecoder().decode(b);

/** Outgoing value -> ATT bytes. Typed arrays send their whole underlying buffer, as on the device. */
export function typedValueToBuffer(type: string | undefined, value: unknown): ArrayBuffer {
  switch (type) {
    case 'Uint8Array':
    case 'Int8Array':
    case 'Int16Array':
    case 'Uint16Array':
      return (value as ArrayBufferView).buffer as ArrayBuffer;
    case 'Array':
      return new Uint8Array(value as number[]).buffer;
    case 'String':
      return toUtf8(value as string);
    case 'Uint8':
      return Uint8Array.of((value as number) & 0xff).buffer;
    case 'Int16':
    case 'Uint16':
      return Uint8Array.of((value as number) & 0xff, ((value as number) >> 8) & 0xff).buffer;
    case 'Uint32': {
      const v = value as number;
      return Uint8Array.of(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff).buffer;
    }
    default:
      if (!(value instanceof ArrayBuffer)) throw new TypeError('ArrayBuffer characteristic value expected');
      return value;
  }
}

/** Incoming ATT bytes -> value of the characteristic's type. */
export function typedBufferToValue(type: string | undefined, buffer: ArrayBuffer): unknown {
  switch (type) {
    case 'Array':
    case 'Uint8Array':
      return new Uint8Array(buffer);
    case 'Int8Array':
      return new Int8Array(buffer);
    case 'Int16Array':
      return new Int16Array(buffer);
    case 'Uint16Array':
      return new Uint16Array(buffer);
    case 'String':
      return fromUtf8(buffer);
    case 'Uint8':
      return new Uint8Array(buffer)[0] & 0xff;
    case 'Int16':
      return new DataView(buffer).getInt16(0, true);
    case 'Uint16':
      return new DataView(buffer).getUint16(0, true);
    case 'Uint32':
      return new DataView(buffer).getUint32(0, true);
    default:
      return buffer;
  }
}

export interface AdvertisingData {
  flags?: number;
  completeName?: string;
  shortName?: string;
  completeUUID16List?: ArrayBuffer[];
  incompleteUUID16List?: ArrayBuffer[];
  completeUUID128List?: ArrayBuffer[];
  incompleteUUID128List?: ArrayBuffer[];
  manufacturerSpecific?: { identifier: number; data?: Uint8Array };
  txPowerLevel?: number;
  appearance?: number;
}

function fieldBytes(key: string, value: unknown): [number, number[]] {
  const list = (v: unknown) => (v as ArrayBuffer[]).flatMap((b) => Array.from(new Uint8Array(b)));
  switch (key) {
    case 'flags': return [GAP.ADType.FLAGS, [(value as number) & 0xff]];
    case 'completeName': return [GAP.ADType.COMPLETE_LOCAL_NAME, Array.from(new Uint8Array(toUtf8(value as string)))];
    case 'shortName': return [GAP.ADType.SHORTENED_LOCAL_NAME, Array.from(new Uint8Array(toUtf8(value as string)))];
    case 'completeUUID16List': return [GAP.ADType.COMPLETE_UUID16_LIST, list(value)];
    case 'incompleteUUID16List': return [GAP.ADType.INCOMPLETE_UUID16_LIST, list(value)];
    case 'completeUUID128List': return [GAP.ADType.COMPLETE_UUID128_LIST, list(value)];
    case 'incompleteUUID128List': return [GAP.ADType.INCOMPLETE_UUID128_LIST, list(value)];
    case 'txPowerLevel': return [GAP.ADType.TX_POWER_LEVEL, [(value as number) & 0xff]];
    case 'appearance': return [GAP.ADType.APPEARANCE, [(value as number) & 0xff, ((value as number) >> 8) & 0xff]];
    case 'manufacturerSpecific': {
      const { identifier, data } = value as { identifier: number; data?: Uint8Array };
      return [GAP.ADType.MANUFACTURER_SPECIFIC_DATA, [identifier & 0xff, (identifier >> 8) & 0xff, ...(data ?? [])]];
    }
    default:
      // The SDK looks the key up in its serializer table; an unknown key throws there too.
      throw new TypeError(`no advertisement serializer for ${key}`);
  }
}

export class Advertisement {
  static serialize(data: AdvertisingData): ArrayBuffer {
    const out: number[] = [];
    for (const key of Object.keys(data)) {
      const [type, bytes] = fieldBytes(key, (data as Record<string, unknown>)[key]);
      out.push(1 + bytes.length, type, ...bytes);
    }
    if (out.length > GAP.MAX_AD_LENGTH) throw new Error('advertisement exceeds maximum length');
    return new Uint8Array(out).buffer;
  }
}
