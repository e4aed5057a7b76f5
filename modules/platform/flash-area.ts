// A FlashArea over one Moddable "flash" partition (esp32: a data partition label, "xs",
// "running", "nextota"; nrf52: "storage", "xs", ...). The SDK leaves every check to the chip, and
// a NOR chip told to program a 1 over a 0 silently keeps the 0; so this adapter checks bounds,
// alignment and that a program only clears bits before it writes: a refused program changes
// nothing, on the board as in the simulator. Errors from the chip itself pass through unchanged.
import type Flash from 'flash';
import { FlashError, type FlashArea } from '../core/flash-area.js';

/** What the adapter uses of a Moddable Flash (a QSPI chip reached by FFI offers the same). */
export type FlashPartition = Pick<Flash, 'byteLength' | 'blockSize' | 'read' | 'write' | 'erase'>;

export class ModdableFlashArea implements FlashArea {
  readonly size: number;
  readonly eraseSize: number;

  /**
   * `writeSize`: 4 on nRF52 (its NVMC may write each 32-bit word only twice between erases, so
   * records must own whole words), 1 on esp32 (16 if flash encryption is on).
   */
  constructor(
    private readonly flash: FlashPartition,
    readonly writeSize: number,
  ) {
    this.size = flash.byteLength;
    this.eraseSize = flash.blockSize;
    if (!Number.isInteger(writeSize) || writeSize < 1 || this.eraseSize % writeSize !== 0) {
      throw new RangeError(`writeSize ${writeSize} does not divide the erase size ${this.eraseSize}`);
    }
    if (this.size % this.eraseSize !== 0) throw new RangeError(`partition of ${this.size} bytes is not whole erase blocks`);
  }

  read(offset: number, length: number): Uint8Array {
    this.checkRange(offset, length);
    if (length === 0) return new Uint8Array(0); // the nrf52 port refuses empty reads
    return new Uint8Array(this.flash.read(offset, length) as ArrayBuffer);
  }

  program(offset: number, data: Uint8Array): void {
    this.checkRange(offset, data.length);
    if (offset % this.writeSize !== 0 || data.length % this.writeSize !== 0) {
      throw new FlashError('alignment', `program at ${offset} length ${data.length} not aligned to ${this.writeSize}`);
    }
    if (data.length === 0) return;
    const cells = this.read(offset, data.length);
    for (let i = 0; i < data.length; i++) {
      if (data[i] & ~cells[i] & 0xff) {
        throw new FlashError('not-erased', `program would set bits at ${offset + i}: cell ${cells[i]}, data ${data[i]}`);
      }
    }
    this.flash.write(offset, data.length, data);
  }

  eraseBlock(block: number): void {
    const blocks = this.size / this.eraseSize;
    if (!Number.isInteger(block) || block < 0 || block >= blocks) {
      throw new FlashError('bounds', `erase block ${block} outside 0..${blocks - 1}`);
    }
    this.flash.erase(block);
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new FlashError('bounds', `range ${offset}+${length} outside 0..${this.size}`);
    }
  }
}
