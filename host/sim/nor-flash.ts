// A NOR flash simulator in the manner of MCUboot's simflash: erase sets a block to 0xFF,
// programming can only clear bits, alignment and bounds are enforced, and a fault plan can
// cut power at the Nth erase or program operation, optionally tearing that operation. With a
// CPU stall attached (cpu-stall.ts) each completed operation stalls the CPU for its duration.
import { ERASED_BYTE, FlashError, type FlashArea } from '../../modules/core/flash-area.js';
import { Prng } from '../lib/prng.js';

export interface NorGeometry {
  size: number;
  eraseSize: number;
  writeSize: number;
}

/** Where to cut power: before op number `at` (1-based over erases and programs) completes. */
export interface PowerCutPlan {
  at: number;
  /** Leave the interrupted operation half done (partial bytes, partial bits) instead of not done. */
  torn?: boolean;
  /** Seed for the shape of a torn operation. */
  seed?: number;
}

/** Thrown when the simulated power fails; the flash stays unpowered until powerOn(). */
export class PowerCut extends Error {
  constructor(readonly op: number, readonly torn: boolean) {
    super(`power cut at flash operation ${op}${torn ? ' (torn)' : ''}`);
    this.name = 'PowerCut';
  }
}

export class NorFlash implements FlashArea {
  readonly size: number;
  readonly eraseSize: number;
  readonly writeSize: number;
  /** The cells; tests may flip bits here directly to model corruption. */
  readonly cells: Uint8Array;
  /** Erases per block, for wear figures. */
  readonly eraseCounts: Uint32Array;
  ops = 0;
  erases = 0;
  programs = 0;
  /** The CPU of the board this chip is in stalls while it erases or programs (set per boot: the clock is the boot's). */
  stall: { erase(): void; program(bytes: number): void } | undefined;
  private plan: PowerCutPlan | undefined;
  private powered = true;

  constructor(geometry: NorGeometry) {
    const { size, eraseSize, writeSize } = geometry;
    if (size <= 0 || eraseSize <= 0 || size % eraseSize !== 0) throw new RangeError('size must be a multiple of eraseSize');
    if (writeSize <= 0 || eraseSize % writeSize !== 0) throw new RangeError('eraseSize must be a multiple of writeSize');
    this.size = size;
    this.eraseSize = eraseSize;
    this.writeSize = writeSize;
    this.cells = new Uint8Array(size).fill(ERASED_BYTE);
    this.eraseCounts = new Uint32Array(size / eraseSize);
  }

  /** Arms (or with undefined, disarms) a power cut. Operation numbers continue from `ops`. */
  armPowerCut(plan: PowerCutPlan | undefined): void {
    this.plan = plan;
  }

  /** Restores power after a cut, as a reboot does; the cells keep whatever the cut left. */
  powerOn(): void {
    this.powered = true;
    this.plan = undefined;
  }

  get isPowered(): boolean {
    return this.powered;
  }

  read(offset: number, length: number): Uint8Array {
    this.checkPower();
    this.checkRange(offset, length);
    return this.cells.slice(offset, offset + length);
  }

  program(offset: number, data: Uint8Array): void {
    this.checkPower();
    this.checkRange(offset, data.length);
    if (offset % this.writeSize !== 0 || data.length % this.writeSize !== 0) {
      throw new FlashError('alignment', `program at ${offset} length ${data.length} not aligned to ${this.writeSize}`);
    }
    for (let i = 0; i < data.length; i++) {
      if (data[i] & ~this.cells[offset + i] & 0xff) {
        throw new FlashError('not-erased', `program would set bits at ${offset + i}: cell ${this.cells[offset + i]}, data ${data[i]}`);
      }
    }
    const op = ++this.ops;
    this.programs++;
    if (this.cutsAt(op)) {
      if (this.plan!.torn) this.tearProgram(offset, data);
      this.cut(op);
    }
    this.cells.set(data, offset);
    this.stall?.program(data.length);
  }

  eraseBlock(block: number): void {
    this.checkPower();
    if (!Number.isInteger(block) || block < 0 || block >= this.eraseCounts.length) {
      throw new FlashError('bounds', `erase block ${block} outside 0..${this.eraseCounts.length - 1}`);
    }
    const op = ++this.ops;
    this.erases++;
    const start = block * this.eraseSize;
    if (this.cutsAt(op)) {
      if (this.plan!.torn) this.tearErase(start);
      this.cut(op);
    }
    this.cells.fill(ERASED_BYTE, start, start + this.eraseSize);
    this.eraseCounts[block]++;
    this.stall?.erase();
  }

  private cutsAt(op: number): boolean {
    return this.plan !== undefined && this.plan.at === op;
  }

  private cut(op: number): never {
    const torn = !!this.plan!.torn;
    this.powered = false;
    this.plan = undefined;
    throw new PowerCut(op, torn);
  }

  /** A program interrupted part-way: a prefix lands, one byte lands only partly, the rest does not. */
  private tearProgram(offset: number, data: Uint8Array): void {
    const rng = new Prng(this.plan!.seed ?? this.ops);
    const done = rng.int(0, data.length - 1);
    for (let i = 0; i < done; i++) this.cells[offset + i] = data[i];
    this.cells[offset + done] &= data[done] | rng.nextU32();
  }

  /** An erase interrupted part-way: some bytes erased, some old, some with only some bits set. */
  private tearErase(start: number): void {
    const rng = new Prng(this.plan!.seed ?? this.ops);
    for (let i = start; i < start + this.eraseSize; i++) {
      const pick = rng.int(0, 2);
      if (pick === 0) this.cells[i] = ERASED_BYTE;
      else if (pick === 1) this.cells[i] |= rng.nextU32() & 0xff;
    }
  }

  private checkPower(): void {
    if (!this.powered) throw new PowerCut(this.ops, false);
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new FlashError('bounds', `range ${offset}+${length} outside 0..${this.size}`);
    }
  }
}
