// The device-information characteristic (docs/protocol.md, "Device information"): what a central
// needs before a session, and nothing more. A CBOR map with text keys:
//   "model": tstr, "proto": uint (channel protocol version), "fw": tstr (firmware version),
//   "pairing": bool (an XX pairing window is open), "hello": [* uint] (HELLO selectors offered)
// No serial number, no key, no patient data: everything here is the same on every unit of a
// model running the same firmware, apart from the pairing flag.
import { decodeCbor, encodeCbor } from '../core/cbor.js';

export interface DeviceInfo {
  readonly model: string;
  readonly protocol: number;
  readonly firmware: string;
  readonly pairingOpen: boolean;
  readonly selectors: readonly number[];
}

export const MAX_DEVICE_INFO_BYTES = 64;

export function encodeDeviceInfo(info: DeviceInfo): Uint8Array {
  const bytes = encodeCbor(new Map<string, string | number | boolean | number[]>([
    ['model', info.model],
    ['proto', info.protocol],
    ['fw', info.firmware],
    ['pairing', info.pairingOpen],
    ['hello', info.selectors.slice()],
  ]));
  if (bytes.length > MAX_DEVICE_INFO_BYTES) throw new RangeError('device info above the characteristic size');
  return bytes;
}

/** Undefined for anything that is not a well-formed DeviceInfo. */
export function decodeDeviceInfo(bytes: Uint8Array): DeviceInfo | undefined {
  let map;
  try {
    map = decodeCbor(bytes, { maxBytes: MAX_DEVICE_INFO_BYTES, maxDepth: 2, maxItems: 8 });
  } catch {
    return undefined;
  }
  if (!(map instanceof Map) || map.size !== 5) return undefined;
  const [model, protocol, firmware, pairingOpen, selectors] = ['model', 'proto', 'fw', 'pairing', 'hello'].map((k) => map.get(k));
  if (typeof model !== 'string' || typeof protocol !== 'number' || typeof firmware !== 'string' || typeof pairingOpen !== 'boolean') return undefined;
  if (!Array.isArray(selectors) || !selectors.every((s) => typeof s === 'number')) return undefined;
  return { model, protocol, firmware, pairingOpen, selectors: selectors as number[] };
}
