// FlashArea over the Moddable `flash` module (SDK 8.x: `new Flash(partition)` with read, write,
// erase, byteLength, blockSize). The caller constructs the Flash object, so this file imports
// nothing from Moddable and stays testable on any engine.
import type { FlashArea } from '../core/flash-area.js';
import { FlashError } from '../core/flash-area.js';

/** The part of Moddable's Flash class this adapter uses. */
export interface ModdableFlash {
  readonly byteLength: number;
  readonly blockSize: number;
  read(offset: number, byteLength: number): ArrayBuffer;
  write(offset: number, byteLength: number, buffer: ArrayBuffer | ArrayBufferView): void;
  erase(block: number): void;
}

/**
 * Program granularity by platform: nRF52 NVMC writes 32-bit words; ESP32 writes 4 bytes, and 16
 * once flash encryption is on (each encrypted 16-byte block is written whole).
 */
export const WRITE_SIZE = Object.freeze({ nrf52: 4, esp32: 4, esp32Encrypted: 16 });

export function moddableFlashArea(flash: ModdableFlash, writeSize: number): FlashArea {
  const size = flash.byteLength;
  const eraseSize = flash.blockSize;
  const check = (offset: number, length: number): void => {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > size) {
      throw new FlashError('bounds', `range ${offset}+${length} outside 0..${size}`);
    }
  };
  return {
    size,
    eraseSize,
    writeSize,
    read(offset, length) {
      check(offset, length);
      return new Uint8Array(flash.read(offset, length));
    },
    program(offset, data) {
      check(offset, data.length);
      if (offset % writeSize !== 0 || data.length % writeSize !== 0) throw new FlashError('alignment', `program at ${offset} length ${data.length} not aligned to ${writeSize}`);
      flash.write(offset, data.length, data);
    },
    eraseBlock(block) {
      if (!Number.isInteger(block) || block < 0 || block >= size / eraseSize) throw new FlashError('bounds', `erase block ${block} outside the partition`);
      flash.erase(block);
    },
  };
}
