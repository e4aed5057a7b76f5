// Fixtures shared by the bench cases: NOR-shaped RAM (erase and program are single native
// fill/set calls, so a row measures the code above the flash, not a simulator) and fixed data.
import type { FlashArea } from '../modules/core/flash-area.js';

export function ramFlash(blocks: number): FlashArea {
  const cells = new Uint8Array(blocks * 4096).fill(0xff);
  return {
    size: cells.length, eraseSize: 4096, writeSize: 4,
    read: (offset, length) => cells.slice(offset, offset + length),
    program: (offset, data) => void cells.set(data, offset),
    eraseBlock: (block) => void cells.fill(0xff, block * 4096, (block + 1) * 4096),
  };
}

/** Deterministic bytes: (seed + i * stride) mod 256. */
export function fixedBytes(length: number, seed: number, stride: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i * stride) & 0xff;
  return out;
}
