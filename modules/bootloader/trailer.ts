// The bank trailer: which signed manifest the bank holds and how far its transfer got. Every
// change is a single program of bits from 1 to 0, so a power cut leaves each mark either
// erased, programmed, or torn (neither) — and a torn mark reads as not set. Only starting a
// new transfer erases the trailer. Format: docs/bootloader.md "Bank trailer".
import { readU32LE, writeU32LE } from '../core/bytes.js';
import type { FlashArea } from '../core/flash-area.js';
import { type BankLayout, MAX_MANIFEST_BYTES, TRAILER_FORMAT, TRAILER_HEADER_BYTES, TRAILER_MAGIC } from './layout.js';

export interface TrailerState {
  /** The COSE_Sign1 manifest bytes, present once the manifest was wholly written. */
  readonly manifest: Uint8Array | undefined;
  /** Progress marks set contiguously from the first. */
  readonly segmentsDone: number;
  /** Every image byte arrived and its SHA-256 matched the manifest. */
  readonly complete: boolean;
}

const EMPTY: TrailerState = Object.freeze({ manifest: undefined, segmentsDone: 0, complete: false });

// Mark indices within the mark area.
const COMMITTED = 0;
const COMPLETE = 1;
const FIRST_SEGMENT = 2;

export class BankTrailer {
  constructor(private readonly bank: FlashArea, private readonly layout: BankLayout) {}

  read(): TrailerState {
    const { trailerOffset, markOffset, writeSize, segmentMarks } = this.layout;
    const header = this.bank.read(trailerOffset, TRAILER_HEADER_BYTES);
    const length = readU32LE(header, 8);
    if (readU32LE(header, 0) !== TRAILER_MAGIC || header[4] !== TRAILER_FORMAT || length === 0 || length > MAX_MANIFEST_BYTES) return EMPTY;
    const marks = this.bank.read(trailerOffset + markOffset, (FIRST_SEGMENT + segmentMarks) * writeSize);
    if (!isSet(marks, COMMITTED, writeSize)) return EMPTY;
    let segmentsDone = 0;
    while (segmentsDone < segmentMarks && isSet(marks, FIRST_SEGMENT + segmentsDone, writeSize)) segmentsDone++;
    return {
      manifest: this.bank.read(trailerOffset + TRAILER_HEADER_BYTES, length),
      segmentsDone,
      complete: isSet(marks, COMPLETE, writeSize),
    };
  }

  /** Starts a new transfer: erase, write the manifest, then the mark that says it is whole. */
  begin(manifest: Uint8Array): void {
    const { trailerOffset, eraseSize, writeSize } = this.layout;
    if (manifest.length === 0 || manifest.length > MAX_MANIFEST_BYTES) throw new RangeError('manifest size');
    this.bank.eraseBlock(trailerOffset / eraseSize);
    const record = new Uint8Array(Math.ceil((TRAILER_HEADER_BYTES + manifest.length) / writeSize) * writeSize).fill(0xff);
    writeU32LE(record, 0, TRAILER_MAGIC);
    record[4] = TRAILER_FORMAT;
    record[5] = record[6] = record[7] = 0;
    writeU32LE(record, 8, manifest.length);
    record.set(manifest, TRAILER_HEADER_BYTES);
    this.bank.program(trailerOffset, record);
    this.setMark(COMMITTED);
  }

  markSegment(index: number): void {
    if (index < 0 || index >= this.layout.segmentMarks) throw new RangeError('segment index');
    this.setMark(FIRST_SEGMENT + index);
  }

  markComplete(): void {
    this.setMark(COMPLETE);
  }

  /** Forgets the bank's transfer (one erase); the image bytes are left as they are. */
  clear(): void {
    this.bank.eraseBlock(this.layout.trailerOffset / this.layout.eraseSize);
  }

  private setMark(index: number): void {
    const { trailerOffset, markOffset, writeSize } = this.layout;
    // Programming zeros over a torn (partly cleared) mark is legal NOR: it only clears bits.
    this.bank.program(trailerOffset + markOffset + index * writeSize, new Uint8Array(writeSize));
  }
}

function isSet(marks: Uint8Array, index: number, writeSize: number): boolean {
  for (let i = index * writeSize; i < (index + 1) * writeSize; i++) if (marks[i] !== 0) return false;
  return true;
}
