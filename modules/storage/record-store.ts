// A power-safe key-value store over NOR flash: every put appends a new record to a SectorRing;
// the newest valid record of a key wins. When the active sector is full the ring advances into
// its erased spare, copying the live records of the oldest sector first (garbage collection),
// so every sector is erased in turn (wear spreading) and RAM holds only a small index.
// @req SEC-12 (docs/traceability.md)
import type { FlashArea } from '../core/flash-area.js';
import { StorageError } from './errors.js';
import { RecordKind, RingFormat, SectorRing, type RingMountReport, type RingRecord } from './sector-ring.js';

export interface RecordStoreOptions {
  /** Most distinct keys held at once (bounds the RAM index). Default 64. */
  maxKeys?: number;
  /** Largest value in bytes. Default 512; at most the sector size less three slots. */
  maxValueSize?: number;
}

export interface RecordStoreStats {
  sectors: number;
  activeSector: number;
  keys: number;
  /** Bytes the live records occupy (data aligned to the write size, plus slots). */
  liveBytes: number;
  /** Live bytes the store accepts; beyond this, puts fail with 'full'. */
  capacityBytes: number;
  lastSeq: number;
}

/** Keys are 16-bit; 0 and 0xFFFF are reserved. */
export const MAX_KEY = 0xfffe;

interface IndexEntry {
  record: RingRecord;
  deleted: boolean;
}

export class RecordStore {
  readonly report: RingMountReport;
  readonly maxKeys: number;
  readonly maxValueSize: number;
  private readonly ring: SectorRing;
  private readonly index: Map<number, IndexEntry>;
  private live = 0;

  /** Mounts the store: scans the flash, repairs a torn tail and builds the index. */
  constructor(flash: FlashArea, options: RecordStoreOptions = {}) {
    this.ring = new SectorRing(flash, { format: RingFormat.records });
    this.maxKeys = options.maxKeys ?? 64;
    this.maxValueSize = options.maxValueSize ?? 512;
    if (this.maxValueSize < 1 || this.maxValueSize > this.ring.maxDataLength || this.capacity() <= 0) {
      throw new StorageError('geometry', `max value size ${this.maxValueSize} does not suit ${flash.eraseSize}-byte sectors`);
    }
    this.index = new Map();
    this.report = this.ring.mount((record) => this.learn(record));
  }

  /** The value of `key`, or undefined. Throws 'corrupt' if its bytes changed since they were written. */
  get(key: number): Uint8Array | undefined {
    const entry = this.index.get(key);
    return entry && !entry.deleted ? this.ring.read(entry.record) : undefined;
  }

  has(key: number): boolean {
    const entry = this.index.get(key);
    return entry !== undefined && !entry.deleted;
  }

  /** Keys with a value, ascending. */
  keys(): number[] {
    const out: number[] = [];
    for (const [key, entry] of this.index) if (!entry.deleted) out.push(key);
    return out.sort((a, b) => a - b);
  }

  /** Stores `value` under `key`; once this returns, the value survives any power cut. */
  put(key: number, value: Uint8Array): void {
    checkKey(key);
    if (value.length > this.maxValueSize) throw new StorageError('too-large', `value of ${value.length} bytes exceeds ${this.maxValueSize}`);
    this.write(RecordKind.put, key, value);
  }

  /** Removes `key`; removing an absent key does nothing. */
  delete(key: number): void {
    checkKey(key);
    if (this.has(key)) this.write(RecordKind.delete, key, new Uint8Array(0));
  }

  stats(): RecordStoreStats {
    let keys = 0;
    for (const entry of this.index.values()) if (!entry.deleted) keys++;
    return { sectors: this.ring.sectors, activeSector: this.ring.activeSector, keys, liveBytes: this.live, capacityBytes: this.capacity(), lastSeq: this.ring.lastSeq };
  }

  /**
   * Live bytes that always fit: K-1 sectors (one is the spare), each less its READY slot, the
   * slot kept free and the largest record, since records never span sectors. Under this bound garbage collection
   * finds room within K-1 advances (see docs/storage.md).
   */
  private capacity(): number {
    return (this.ring.sectors - 1) * (this.ring.sectorCapacity - this.ring.footprint(this.maxValueSize));
  }

  private write(kind: number, key: number, value: Uint8Array): void {
    const previous = this.index.get(key);
    if (!previous && this.index.size >= this.maxKeys) throw new StorageError('full', `no room for more than ${this.maxKeys} keys`);
    if (this.live + this.ring.footprint(value.length) > this.capacity()) throw new StorageError('full', 'the store is full');
    for (let advances = 0; !this.ring.fits(value.length); advances++) {
      if (advances >= this.ring.sectors) throw new StorageError('full', 'garbage collection found no room');
      this.collect();
    }
    const record = this.ring.append(kind, key, value);
    this.setEntry(key, { record, deleted: kind === RecordKind.delete });
  }

  /** Advances the ring, first copying the oldest sector's live records into the new sector. */
  private collect(): void {
    const moved: Array<[number, IndexEntry | undefined]> = [];
    this.ring.advance((target) => {
      const oldest = this.ring.next(target);
      for (const [key, entry] of this.index) {
        if (entry.record.sector !== oldest) continue;
        if (entry.deleted) {
          // Every older record of this key lived in sectors already recycled: the tombstone can go.
          moved.push([key, undefined]);
          continue;
        }
        let data: Uint8Array;
        try {
          data = this.ring.read(entry.record);
        } catch (error) {
          if (!(error instanceof StorageError)) throw error;
          moved.push([key, undefined]); // rotted since mount: nothing sound left to copy
          continue;
        }
        moved.push([key, { record: this.ring.append(RecordKind.put, key, data, entry.record.seq), deleted: false }]);
      }
    });
    for (const [key, entry] of moved) this.setEntry(key, entry);
  }

  private learn(record: RingRecord): void {
    if (record.kind !== RecordKind.put && record.kind !== RecordKind.delete) return;
    const known = this.index.get(record.key);
    if (known && known.record.seq >= record.seq) return;
    this.setEntry(record.key, { record, deleted: record.kind === RecordKind.delete });
  }

  private setEntry(key: number, entry: IndexEntry | undefined): void {
    const old = this.index.get(key);
    if (old) this.live -= this.ring.footprint(old.record.length);
    if (entry) {
      this.index.set(key, entry);
      this.live += this.ring.footprint(entry.record.length);
    } else {
      this.index.delete(key);
    }
  }
}

function checkKey(key: number): void {
  if (!Number.isInteger(key) || key < 1 || key > MAX_KEY) throw new StorageError('invalid', `key ${key} outside 1..${MAX_KEY}`);
}
