// Which firmware this device accepts: the vendor and class ids of the manifest (SUIT's
// vendor-identifier and class-identifier, RFC 9124 §3.5), as RFC 4122 UUIDs. These are the
// reference project's own; a manufacturer replaces them with UUIDs of its name space.
import { fromHex, isHexText, toHex } from '../core/bytes.js';

export const IMPLANT_VENDOR_UUID = '7e5a0000-4c1b-4e8b-9d3a-2f6c1b0e9a51';

/** One class per board: an ESP32 image must never be offered to an nRF52 and the reverse. */
export const BOARD_CLASS_UUIDS = Object.freeze({
  esp32: '7e5a0100-4c1b-4e8b-9d3a-2f6c1b0e9a51',
  nrf52: '7e5a0200-4c1b-4e8b-9d3a-2f6c1b0e9a51',
});

const UUID_GROUPS = Object.freeze([8, 4, 4, 4, 12]);

/** The 16 bytes of a UUID in its canonical text form, or undefined. */
export function uuidBytes(text: string): Uint8Array | undefined {
  // RFC 4122 §3: groups of 8-4-4-4-12 hex digits, either case.
  const groups = text.split('-');
  const canonical = groups.length === 5 && groups.every((g, i) => g.length === UUID_GROUPS[i] && isHexText(g));
  return canonical ? fromHex(groups.join('')) : undefined;
}

export function uuidText(bytes: Uint8Array): string {
  const h = toHex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
