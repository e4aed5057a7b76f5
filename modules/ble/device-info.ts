// The device-information characteristic (docs/protocol.md, "Device information"): what a central
// needs before a session, and nothing more. A CBOR map with text keys:
//   "model": tstr, "proto": uint (channel protocol version), "hello": [* uint] (HELLO selectors)
// It is the same on every unit of a model and never changes while the device runs: no serial
// number, no key, no patient data, and no state (pairing window, presence, emergency access) nor
// firmware version that would tell a stranger when to connect or which flaws to try. The
// selectors are those the build supports; whether XX is allowed now is decided at admission.
// @req SEC-18 (docs/traceability.md)
import { decodeCbor, encodeCbor } from '../core/cbor.js';

export interface DeviceInfo {
  readonly model: string;
  readonly protocol: number;
  readonly selectors: readonly number[];
}

export const MAX_DEVICE_INFO_BYTES = 64;

export function encodeDeviceInfo(info: DeviceInfo): Uint8Array {
  const bytes = encodeCbor(new Map<string, string | number | number[]>([
    ['model', info.model],
    ['proto', info.protocol],
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
  if (!(map instanceof Map) || map.size !== 3) return undefined;
  const [model, protocol, selectors] = ['model', 'proto', 'hello'].map((k) => map.get(k));
  if (typeof model !== 'string' || typeof protocol !== 'number') return undefined;
  if (!Array.isArray(selectors) || !selectors.every((s) => typeof s === 'number')) return undefined;
  return { model, protocol, selectors: selectors as number[] };
}
