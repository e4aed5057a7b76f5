// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the check ZIP and PNG use. It detects
// torn and flipped bits; it is not a MAC (authenticity comes from the AEAD and audit MAC layers).

function makeTable(): readonly number[] {
  const table: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table.push(c >>> 0);
  }
  return Object.freeze(table);
}

// A frozen plain array (not a typed array), so it may live at module scope in a preloaded module.
const TABLE = makeTable();

/** Continues a CRC over `bytes[start, end)`; start a fresh CRC with `crc = 0`. */
export function crc32(bytes: Uint8Array, crc = 0, start = 0, end = bytes.length): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
