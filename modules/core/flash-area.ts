// The one interface every persistent feature programs against (storage, bootloader banks),
// in the spirit of MCUboot's flash_area: NOR semantics, explicit geometry, no hidden caching.

export interface FlashArea {
  /** Total bytes in the area; a multiple of eraseSize. */
  readonly size: number;
  /** Bytes per erase block; erasing sets every byte of the block to 0xFF. */
  readonly eraseSize: number;
  /** Program granularity: offsets and lengths of program() are multiples of this. */
  readonly writeSize: number;
  /** Reads `length` bytes at `offset` into a new array. */
  read(offset: number, length: number): Uint8Array;
  /** Programs bytes; NOR can only clear bits, so the target must be erased (or already equal). */
  program(offset: number, data: Uint8Array): void;
  /** Erases block number `block` (0-based) to 0xFF. */
  eraseBlock(block: number): void;
}

export const ERASED_BYTE = 0xff;

/** Thrown by flash implementations for operations a real chip would refuse. */
export class FlashError extends Error {
  constructor(readonly code: 'bounds' | 'alignment' | 'not-erased' | 'io', message: string) {
    super(message);
    this.name = 'FlashError';
  }
}
