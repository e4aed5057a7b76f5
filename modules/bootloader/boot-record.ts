// The boot-control record: which bank is confirmed, and whether another is pending or on
// trial. Two erase blocks hold one record each; a write goes to the block that does not hold
// the newest valid record, so a power cut at any point leaves the previous record intact and
// a torn record fails its CRC (the scheme of ESP-IDF's two otadata sectors). 32 bytes,
// format in docs/bootloader.md "Boot record".
import { readU32LE, writeU32LE } from '../core/bytes.js';
import type { FlashArea } from '../core/flash-area.js';
import { crc32 } from '../storage/crc32.js';

export type Slot = 0 | 1;

/**
 * confirmed: run `confirmed`, nothing else is asked.
 * pending:   at the next reset, try `trial` once (set by activation).
 * trying:    the bootloader started `trial`; if we reset again before confirm, revert.
 */
export type BootState = 'confirmed' | 'pending' | 'trying';

/** Why the last change happened; kept so that no revert is silent. */
export type BootNote = 'none' | 'activated' | 'trial-started' | 'confirmed' | 'trial-reset' | 'candidate-invalid' | 'self-test-failed' | 'confirm-timeout';

export interface BootRecord {
  readonly seq: number;
  readonly state: BootState;
  readonly confirmed: Slot;
  /** The other bank while pending or trying; equal to `confirmed` otherwise. */
  readonly trial: Slot;
  readonly note: BootNote;
}

export const BOOT_RECORD_BYTES = 32;
const MAGIC = 0x544f4249; // "IBOT" little-endian
const FORMAT = 1;
const STATES: readonly BootState[] = Object.freeze(['confirmed', 'pending', 'trying']);
const NOTES: readonly BootNote[] = Object.freeze(['none', 'activated', 'trial-started', 'confirmed', 'trial-reset', 'candidate-invalid', 'self-test-failed', 'confirm-timeout']);

/** What a device with an empty (factory) record area does: run bank 0. */
export const FACTORY_RECORD: BootRecord = Object.freeze({ seq: 0, state: 'confirmed', confirmed: 0, trial: 0, note: 'none' });

export function encodeBootRecord(r: BootRecord): Uint8Array {
  const out = new Uint8Array(BOOT_RECORD_BYTES).fill(0xff);
  writeU32LE(out, 0, MAGIC);
  out[4] = FORMAT;
  out[5] = STATES.indexOf(r.state);
  out[6] = r.confirmed;
  out[7] = r.trial;
  out[8] = NOTES.indexOf(r.note);
  writeU32LE(out, 12, r.seq);
  writeU32LE(out, BOOT_RECORD_BYTES - 4, crc32(out, 0, 0, BOOT_RECORD_BYTES - 4));
  return out;
}

export function decodeBootRecord(b: Uint8Array): BootRecord | undefined {
  if (b.length !== BOOT_RECORD_BYTES || readU32LE(b, 0) !== MAGIC || b[4] !== FORMAT) return undefined;
  if (readU32LE(b, BOOT_RECORD_BYTES - 4) !== crc32(b, 0, 0, BOOT_RECORD_BYTES - 4)) return undefined;
  const state = STATES[b[5]], note = NOTES[b[8]];
  if (state === undefined || note === undefined || b[6] > 1 || b[7] > 1) return undefined;
  return { seq: readU32LE(b, 12), state, confirmed: b[6] as Slot, trial: b[7] as Slot, note };
}

export class BootRecordStore {
  constructor(private readonly area: FlashArea) {
    if (area.size < 2 * area.eraseSize || BOOT_RECORD_BYTES % area.writeSize !== 0) throw new RangeError('boot record area needs two erase blocks');
  }

  /** The newest valid record and the block holding it, or the factory record. */
  read(): BootRecord {
    return this.newest()?.record ?? FACTORY_RECORD;
  }

  /** Writes `next` as the newest record (2 flash operations: erase, program). */
  write(next: Omit<BootRecord, 'seq'>): BootRecord {
    const current = this.newest();
    const block = current === undefined ? 0 : 1 - current.block;
    const record: BootRecord = { ...next, seq: ((current?.record.seq ?? 0) + 1) >>> 0 };
    this.area.eraseBlock(block);
    this.area.program(block * this.area.eraseSize, encodeBootRecord(record));
    return record;
  }

  private newest(): { record: BootRecord; block: number } | undefined {
    let best: { record: BootRecord; block: number } | undefined;
    for (let block = 0; block < 2; block++) {
      const record = decodeBootRecord(this.area.read(block * this.area.eraseSize, BOOT_RECORD_BYTES));
      // Sequence numbers are compared in serial-number arithmetic, so the u32 may wrap.
      if (record && (!best || ((record.seq - best.record.seq) | 0) > 0)) best = { record, block };
    }
    return best;
  }
}
