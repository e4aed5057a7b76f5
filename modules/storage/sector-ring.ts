// The on-flash layer shared by the record store and the audit log: a ring of erase blocks
// ("sectors"), each filled from both ends. Record data grows up from offset 0; fixed 16-byte
// slots that describe the records grow down from the top. A record becomes visible only when its
// slot is programmed and its CRC (over the slot and the data) checks, so a write cut at any
// point is either wholly there or not there. Fixed slot positions mean a torn write never hides
// the records after it. Byte layout and recovery are documented in docs/storage.md.
// @req SEC-12 (docs/traceability.md)
import { ERASED_BYTE, type FlashArea } from '../core/flash-area.js';
import { readU32LE, writeU32LE } from '../core/bytes.js';
import { crc32 } from './crc32.js';
import { StorageError } from './errors.js';

export const SLOT_SIZE = 16;
const MAX_SEQ = 0xffffffff;

/** Record kinds (slot byte 0). 0x00 and 0xFF are never used: they mean "neutralised" and "erased". */
export const RecordKind = Object.freeze({
  /** A key's new value (record store). */
  put: 1,
  /** A key's removal (record store). */
  delete: 2,
  /** Written last when a sector is opened: from here on it is the newest sector. */
  ready: 3,
  /** One audit log entry. */
  entry: 4,
  /** An audit chain anchor for the oldest entry kept. */
  checkpoint: 5,
});

/** Slot byte 1: which layer owns the ring, so a record store never parses audit slots or vice versa. */
export const RingFormat = Object.freeze({ records: 0xb1, audit: 0xa1 });

export interface RingRecord {
  readonly kind: number;
  readonly key: number;
  readonly seq: number;
  readonly sector: number;
  readonly slot: number;
  /** Offset of the data inside its sector. */
  readonly offset: number;
  readonly length: number;
}

export interface RingMountReport {
  /** The newest sector after mount (the spare is the one after it). */
  activeSector: number;
  /** True when no valid record was found and the ring was initialised (blank or unreadable flash). */
  fresh: boolean;
  /** Sectors that held bytes when the ring was initialised (non-zero only for a fresh mount over garbage). */
  unreadableSectors: number[];
  /** Valid records found outside the spare sector. */
  records: number;
  /** Slots that are neither erased, neutralised nor valid: bit flips, garbage, tampering. */
  corruptSlots: Array<{ sector: number; slot: number }>;
  /** The newest slot was a torn write (or damaged) and has been neutralised. */
  tornTail: boolean;
}

export interface RingOptions {
  /** RingFormat value stamped into every slot. */
  format: number;
}

interface SectorScan {
  maxSeq: number;
  /** Index of the slot the next record would use. */
  firstFree: number;
  /** End of the highest valid record data (aligned). */
  dataEnd: number;
  /** Damaged slots among the valid ones: corruption. */
  invalid: number[];
  /**
   * A damaged slot after the last good one: in the newest sector, an interrupted write (it is
   * neutralised at mount); elsewhere, corruption.
   */
  tail: number | undefined;
  valid: RingRecord[];
}

function isAll(bytes: Uint8Array, start: number, length: number, value: number): boolean {
  for (let i = start; i < start + length; i++) if (bytes[i] !== value) return false;
  return true;
}

export class SectorRing {
  readonly sectors: number;
  readonly eraseSize: number;
  readonly writeSize: number;
  private active = -1;
  private dataPtr = 0;
  private nextSlot = 0;
  private maxSeq = 0;
  /**
   * The spare: the sector after the newest. Mount and walk ignore it; advancing erases it and
   * makes it the newest, and the sector after it (the oldest) becomes the new spare. The layer
   * above copies what it must keep out of that oldest sector while advancing.
   */
  private spare = -1;

  constructor(readonly flash: FlashArea, private readonly options: RingOptions) {
    const { size, eraseSize, writeSize } = flash;
    if (eraseSize % SLOT_SIZE !== 0 || eraseSize > 0x10000 || eraseSize < 8 * SLOT_SIZE) {
      throw new StorageError('geometry', `erase size ${eraseSize} must be a multiple of ${SLOT_SIZE} between ${8 * SLOT_SIZE} and 65536`);
    }
    if (writeSize < 1 || SLOT_SIZE % writeSize !== 0) throw new StorageError('geometry', `write size ${writeSize} must divide ${SLOT_SIZE}`);
    if (size % eraseSize !== 0 || size / eraseSize < 2) throw new StorageError('geometry', 'the area needs at least two whole erase blocks');
    this.sectors = size / eraseSize;
    this.eraseSize = eraseSize;
    this.writeSize = writeSize;
  }

  /** Sector currently written, or -1 before mount. */
  get activeSector(): number {
    return this.active;
  }

  /** Highest record sequence number in use. */
  get lastSeq(): number {
    return this.maxSeq;
  }

  /** Largest data length a record can have: a fresh sector holds READY, the record's slot and the free slot. */
  get maxDataLength(): number {
    return this.eraseSize - 3 * SLOT_SIZE;
  }

  /** Bytes of a fresh sector available to records (less the READY slot and the slot kept free). */
  get sectorCapacity(): number {
    return this.eraseSize - 2 * SLOT_SIZE;
  }

  next(sector: number): number {
    return (sector + 1) % this.sectors;
  }

  /** Bytes a record with `length` data bytes occupies (aligned data plus its slot). */
  footprint(length: number): number {
    return this.align(length) + SLOT_SIZE;
  }

  /**
   * Whether a record with `length` data bytes fits in the active sector now. One slot more is
   * kept free, so record data never reaches the slot after the newest: a mount then finds the
   * end of the slot list at the first erased slot, whatever a torn write left in the data.
   */
  fits(length: number): boolean {
    return this.footprint(length) + SLOT_SIZE <= this.free();
  }

  /** Free bytes between the data and the slots of the active sector. */
  free(): number {
    return this.eraseSize - SLOT_SIZE * this.nextSlot - this.dataPtr;
  }

  /**
   * Finds the newest sector, repairs a torn tail, and calls `visit` for every valid record outside
   * the spare, oldest sector first, slots in write order. Only power loss (from the flash) throws.
   */
  mount(visit: (record: RingRecord) => void): RingMountReport {
    const report: RingMountReport = { activeSector: -1, fresh: false, unreadableSectors: [], records: 0, corruptSlots: [], tornTail: false };
    let newest = -1;
    let newestSeq = 0;
    for (let s = 0; s < this.sectors; s++) {
      const scan = this.scan(s);
      if (scan.valid.length > 0 && (newest < 0 || scan.maxSeq > newestSeq)) {
        newest = s;
        newestSeq = scan.maxSeq;
      }
    }
    if (newest < 0) {
      for (let s = 0; s < this.sectors; s++) if (!this.isErased(s)) report.unreadableSectors.push(s);
      report.fresh = true;
      this.maxSeq = 0;
      this.active = this.sectors - 1; // so that advance() opens sector 0
      this.advance();
      report.activeSector = this.active;
      return report;
    }
    this.active = newest;
    this.maxSeq = newestSeq;
    this.spare = this.next(newest);
    this.forEachSector((sector, scan) => {
      if (sector === newest) this.resumeActive(scan, report);
      for (const slot of scan.invalid) report.corruptSlots.push({ sector, slot });
      if (scan.tail !== undefined) report.corruptSlots.push({ sector, slot: scan.tail });
      report.records += scan.valid.length;
      for (const record of scan.valid) visit(record);
    });
    report.activeSector = newest;
    return report;
  }

  /** Calls `visit` for every valid record outside the spare, oldest first. Reads the flash again. */
  walk(visit: (record: RingRecord) => void): void {
    this.forEachSector((_sector, scan) => {
      for (const record of scan.valid) visit(record);
    });
  }

  private forEachSector(each: (sector: number, scan: SectorScan) => void): void {
    for (let i = 1; i <= this.sectors; i++) {
      const sector = (this.active + i) % this.sectors;
      if (sector !== this.spare) each(sector, this.scan(sector));
    }
  }

  /**
   * Appends a record to the active sector. `seq` is given only when a record is copied by garbage
   * collection (it keeps its age); otherwise the next sequence number is taken.
   */
  append(kind: number, key: number, data: Uint8Array, seq?: number): RingRecord {
    if (!this.fits(data.length)) throw new StorageError('full', `record of ${data.length} bytes does not fit the active sector`);
    if (seq === undefined) {
      if (this.maxSeq >= MAX_SEQ) throw new StorageError('exhausted', 'record sequence numbers are exhausted');
      seq = ++this.maxSeq;
    }
    const sector = this.active;
    const offset = this.dataPtr;
    const slot = this.nextSlot;
    const padded = this.align(data.length);
    // Advance first: a program that fails part-way must never be retried over the same cells.
    this.dataPtr += padded;
    this.nextSlot++;
    const base = sector * this.eraseSize;
    if (data.length > 0) {
      const buffer = new Uint8Array(padded).fill(ERASED_BYTE);
      buffer.set(data);
      this.flash.program(base + offset, buffer);
    }
    const slotBytes = new Uint8Array(SLOT_SIZE);
    slotBytes[0] = kind;
    slotBytes[1] = this.options.format;
    slotBytes[2] = key & 0xff;
    slotBytes[3] = key >>> 8;
    writeU32LE(slotBytes, 4, seq);
    slotBytes[8] = offset & 0xff;
    slotBytes[9] = offset >>> 8;
    slotBytes[10] = data.length & 0xff;
    slotBytes[11] = data.length >>> 8;
    writeU32LE(slotBytes, 12, crc32(data, crc32(slotBytes, 0, 0, 12)));
    this.flash.program(base + this.slotOffset(slot), slotBytes);
    return { kind, key, seq, sector, slot, offset, length: data.length };
  }

  /**
   * Makes the sector after the active one the new active sector: erases it, lets `fill` copy
   * records into it, then writes READY. Until READY lands the old sector stays the newest, so a
   * cut anywhere in here leaves the ring as it was.
   */
  advance(fill?: (target: number) => void): void {
    const target = this.next(this.active);
    if (!this.isErased(target)) this.flash.eraseBlock(target);
    this.active = target;
    this.dataPtr = 0;
    this.nextSlot = 0;
    fill?.(target);
    this.append(RecordKind.ready, 0, new Uint8Array(0));
    this.spare = this.next(target);
  }

  /** Reads a record's data and checks it again (flash may have changed since mount). */
  read(record: RingRecord): Uint8Array {
    const base = record.sector * this.eraseSize;
    const slot = this.flash.read(base + this.slotOffset(record.slot), SLOT_SIZE);
    const data = this.flash.read(base + record.offset, record.length);
    if (crc32(data, crc32(slot, 0, 0, 12)) !== readU32LE(slot, 12) || readU32LE(slot, 4) !== record.seq) {
      throw new StorageError('corrupt', `record ${record.seq} in sector ${record.sector} slot ${record.slot} no longer verifies`);
    }
    return data;
  }

  private align(length: number): number {
    const w = this.writeSize;
    return Math.ceil(length / w) * w;
  }

  private slotOffset(slot: number): number {
    return this.eraseSize - SLOT_SIZE * (slot + 1);
  }

  private isErased(sector: number): boolean {
    const bytes = this.flash.read(sector * this.eraseSize, this.eraseSize);
    return isAll(bytes, 0, bytes.length, ERASED_BYTE);
  }

  private scan(sector: number): SectorScan {
    const bytes = this.flash.read(sector * this.eraseSize, this.eraseSize);
    const result: SectorScan = { maxSeq: 0, firstFree: 0, dataEnd: 0, invalid: [], tail: undefined, valid: [] };
    const slots = this.eraseSize / SLOT_SIZE;
    let i = 0;
    for (; i < slots; i++) {
      const at = this.slotOffset(i);
      // Data never reaches the slot after the newest (see fits()): the first erased slot ends the list.
      if (at < result.dataEnd || isAll(bytes, at, SLOT_SIZE, ERASED_BYTE)) break;
      if (isAll(bytes, at, SLOT_SIZE, 0)) continue;
      const record = this.parseSlot(bytes, sector, i);
      if (!record) {
        result.invalid.push(i);
        continue;
      }
      result.valid.push(record);
      if (record.seq > result.maxSeq) result.maxSeq = record.seq;
      const end = record.offset + this.align(record.length);
      if (end > result.dataEnd) result.dataEnd = end;
    }
    result.firstFree = i;
    if (result.invalid.length > 0 && result.invalid[result.invalid.length - 1] === i - 1) result.tail = result.invalid.pop();
    return result;
  }

  private parseSlot(bytes: Uint8Array, sector: number, slot: number): RingRecord | undefined {
    const at = this.slotOffset(slot);
    const kind = bytes[at];
    if (kind < RecordKind.put || kind > RecordKind.checkpoint || bytes[at + 1] !== this.options.format) return undefined;
    const key = bytes[at + 2] | (bytes[at + 3] << 8);
    const seq = readU32LE(bytes, at + 4);
    const offset = bytes[at + 8] | (bytes[at + 9] << 8);
    const length = bytes[at + 10] | (bytes[at + 11] << 8);
    // Data lies below the slot region the slot belongs to, aligned as it was programmed.
    if (offset % this.writeSize !== 0 || offset + length > at || seq === 0) return undefined;
    const crc = crc32(bytes, crc32(bytes, 0, at, at + 12), offset, offset + length);
    if (crc !== readU32LE(bytes, at + 12)) return undefined;
    return { kind, key, seq, sector, slot, offset, length };
  }

  /** Sets the write position in the newest sector, stepping over whatever a cut left behind. */
  private resumeActive(scan: SectorScan, report: RingMountReport): void {
    const base = this.active * this.eraseSize;
    if (scan.tail !== undefined) {
      // The newest slot did not verify: a torn write. Zero it (always programmable on NOR) so
      // that later mounts tell it from corruption.
      this.flash.program(base + this.slotOffset(scan.tail), new Uint8Array(SLOT_SIZE));
      scan.tail = undefined;
      report.tornTail = true;
    }
    this.nextSlot = scan.firstFree;
    // Torn data (a record whose slot never landed) sits above the last valid data: skip past it.
    const gapEnd = this.slotOffset(scan.firstFree) + SLOT_SIZE;
    let dataPtr = scan.dataEnd;
    if (gapEnd > dataPtr) {
      const gap = this.flash.read(base + dataPtr, gapEnd - dataPtr);
      for (let i = gap.length - 1; i >= 0; i--) {
        if (gap[i] !== ERASED_BYTE) {
          dataPtr = this.align(dataPtr + i + 1);
          break;
        }
      }
    }
    this.dataPtr = dataPtr;
  }
}
