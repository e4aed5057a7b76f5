// Host shim of Moddable "flash" (typings/flash.d.ts; modules/files/flash/esp32/flash.c and
// nrf52/flash.c) over the NorFlash partitions host-control installs. Arguments, bounds checks and
// error messages follow the selected port; the cells follow NorFlash: erase sets a block to 0xFF,
// a write may only clear bits (the shim refuses a write that would set one, where a real chip
// would silently keep the AND), and a power cut from NorFlash passes through unchanged.
// Not shimmed: map() (no memory-mapped flash on the host; use read()) and readString().
import { FlashError } from '../../modules/core/flash-area.js';
import type { NorFlash } from '../sim/nor-flash.js';
import { flashChip, flashPartition, hostPlatform } from './host-control.js';
import { readableBytes, toInt32 } from './host/xs-values.js';

/** The partition labels the nRF52 port knows; esp32 looks up any installed label. */
const NRF52_PARTITIONS = Object.freeze(['ble-peers', 'xs', 'storage', 'running']);

class Flash {
  readonly #chip: NorFlash;
  readonly #start: number;
  readonly #length: number;

  constructor(partition: string);
  constructor(offset: number, byteLength: number);
  constructor(...args: [partition: string] | [offset: number, byteLength: number]) {
    const nrf52 = hostPlatform() === 'nrf52';
    if (nrf52 && typeof args[0] !== 'string') {
      const chip = flashChip();
      if (!chip) throw new Error('host shims: no flash chip installed for a raw region (call installFlashChip)');
      [this.#chip, this.#start, this.#length] = [chip, toInt32(args[0]), toInt32(args[1])];
      return;
    }
    const name = String(args[0]);
    const found = nrf52 && !NRF52_PARTITIONS.includes(name) ? undefined : flashPartition(name);
    if (!found) throw new Error(nrf52 ? 'unknown partition' : "can't find partition");
    [this.#chip, this.#start, this.#length] = [found, 0, found.size];
  }

  get byteLength(): number {
    return this.#length;
  }

  get blockSize(): number {
    return this.#chip.eraseSize;
  }

  erase(sector: number): void {
    const s = toInt32(sector);
    if (hostPlatform() === 'nrf52' && (s < 0 || s >= this.#length / this.blockSize)) throw new Error('invalid sector');
    this.#chipCall('erase failed', s >= 0 && (s + 1) * this.blockSize <= this.#length, () =>
      this.#chip.eraseBlock(this.#start / this.blockSize + s),
    );
  }

  read(offset: number, byteLength: number): ArrayBuffer {
    const [at, length] = [toInt32(offset), toInt32(byteLength)];
    if (hostPlatform() === 'nrf52') this.#checkNrf52Range(at, length);
    const result = new ArrayBuffer(length); // a negative length throws RangeError, as xsmcSetArrayBuffer does
    this.#chipCall('read failed', this.#inside(at, length), () => new Uint8Array(result).set(this.#chip.read(this.#start + at, length)));
    return result;
  }

  write(offset: number, byteLength: number, buffer: ArrayBuffer | Uint8Array | Uint8ClampedArray | Int8Array | DataView): void {
    const [at, length] = [toInt32(offset), toInt32(byteLength)];
    if (hostPlatform() === 'nrf52') this.#checkNrf52Range(at, length);
    const bytes = readableBytes(buffer);
    if (length <= 0 || bytes.length < length) throw new Error(hostPlatform() === 'nrf52' ? 'invalid length' : 'invalid');
    this.#chipCall('write failed', this.#inside(at, length), () => this.#chip.program(this.#start + at, bytes.slice(0, length)));
  }

  #inside(at: number, length: number): boolean {
    return at >= 0 && length >= 0 && at + length <= this.#length;
  }

  #checkNrf52Range(at: number, length: number): void {
    if (at < 0 || at >= this.#length) throw new Error('invalid offset');
    if (length <= 0 || at + length > this.#length) throw new Error('invalid length');
  }

  /** The driver call: out of the partition or refused by the cells, it fails with the SDK's message. */
  #chipCall(failure: string, inside: boolean, operation: () => void): void {
    if (!inside) throw new Error(failure);
    try {
      operation();
    } catch (error) {
      if (error instanceof FlashError) throw new Error(failure, { cause: error });
      throw error;
    }
  }
}

export { Flash as default };
