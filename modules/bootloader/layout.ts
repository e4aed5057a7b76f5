// Where things live inside one bank (an A/B image slot). The image starts at offset 0, as the
// ESP32 ROM bootloader and an nRF52 vector table both require; the last erase block is the
// bank's trailer (in the manner of MCUboot's image trailer): the signed manifest and the
// progress marks of the transfer that filled the bank. docs/bootloader.md draws it.
import type { FlashArea } from '../core/flash-area.js';

/** Largest accepted COSE_Sign1 manifest; ours are about 200 bytes. */
export const MAX_MANIFEST_BYTES = 512;
/** Trailer header: magic "IMUP", format, three reserved bytes, manifest length (u32 LE), four reserved. */
export const TRAILER_HEADER_BYTES = 16;
export const TRAILER_MAGIC = 0x50554d49; // "IMUP" read as a little-endian u32
export const TRAILER_FORMAT = 1;

export interface BankLayout {
  readonly eraseSize: number;
  readonly writeSize: number;
  /** Offset of the trailer block, which is also the largest image size. */
  readonly trailerOffset: number;
  readonly maxImageSize: number;
  /** Offset (within the trailer) of the first mark; each mark is one write unit. */
  readonly markOffset: number;
  /** How many marks fit, besides the "manifest committed" and "complete" marks. */
  readonly segmentMarks: number;
  /** Image erase blocks per progress mark (1 unless the bank is very large). */
  readonly blocksPerSegment: number;
}

function roundUp(n: number, unit: number): number {
  return Math.ceil(n / unit) * unit;
}

export function bankLayout(bank: Pick<FlashArea, 'size' | 'eraseSize' | 'writeSize'>): BankLayout {
  const { size, eraseSize, writeSize } = bank;
  const markOffset = roundUp(TRAILER_HEADER_BYTES + MAX_MANIFEST_BYTES, writeSize);
  const segmentMarks = Math.floor((eraseSize - markOffset) / writeSize) - 2;
  if (size < 2 * eraseSize || segmentMarks < 1 || TRAILER_HEADER_BYTES % writeSize !== 0) {
    throw new RangeError(`bank geometry ${size}/${eraseSize}/${writeSize} cannot hold an image and a trailer`);
  }
  const trailerOffset = size - eraseSize;
  const imageBlocks = trailerOffset / eraseSize;
  return Object.freeze({
    eraseSize,
    writeSize,
    trailerOffset,
    maxImageSize: trailerOffset,
    markOffset,
    segmentMarks,
    blocksPerSegment: Math.ceil(imageBlocks / segmentMarks),
  });
}

/** Bytes of image covered by one progress mark. */
export function segmentBytes(layout: BankLayout): number {
  return layout.blocksPerSegment * layout.eraseSize;
}
