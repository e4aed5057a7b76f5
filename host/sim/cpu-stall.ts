// The CPU stall of a flash operation, per board (docs/therapy.md, "During a stall"). While the
// chip erases or programs, no JavaScript of either machine runs: on the nRF52840 the NVMC halts the
// CPU (code runs from the flash being written); on the ESP32 the flash cache is off on both cores,
// and everything not in IRAM waits. The stall moves the virtual clock without running software
// callbacks (VirtualClock.skip): they run late, after it, while hardware callbacks (the pace timer
// peripheral) keep their times. Between two operations the therapy machine gets the CPU (ESP32:
// its own core, above the main task; nRF52: the same FreeRTOS priority as the main task, time
// sliced at the next 1 ms tick, docs/architecture.md "Worker priority"), so its overdue callbacks
// run then.
import type { VirtualClock } from './virtual-clock.js';

export interface FlashTiming {
  /** One erase block (4 KiB on both boards). */
  readonly eraseUs: number;
  /** Programming `bytes` bytes in one call. */
  programUs(bytes: number): number;
}

/**
 * nRF52840 Product Specification v1.7, NVMC electrical specification: tERASEPAGE 85 ms
 * (4 KiB page, max) and tWRITE 41 µs (one 32-bit word, max); the CPU is halted for both.
 */
export const NRF52840_FLASH: FlashTiming = Object.freeze({
  eraseUs: 85_000,
  programUs: (bytes: number) => Math.ceil(bytes / 4) * 41,
});

/**
 * ESP32-WROOM-32's SPI NOR (Winbond W25Q32JV datasheet, AC electrical characteristics):
 * tSE 45 ms (4 KiB sector erase, typical; 400 ms max) and tPP 0.4 ms (a 256-byte page program,
 * typical); ESP-IDF's spi_flash_erase_sector / spi_flash_write run with the cache disabled on both cores.
 */
export const ESP32_FLASH: FlashTiming = Object.freeze({
  eraseUs: 45_000,
  programUs: (bytes: number) => Math.ceil(bytes / 256) * 400,
});

/** Stalls `clock` for each operation; sub-millisecond stalls add up and move the clock by whole ms. */
export class CpuStall {
  /** Each stall as [start, end] on the clock, for tests to see what a pace fell into. */
  readonly stalls: [number, number][] = [];
  private owedUs = 0;

  /** `preempting`: the clock lane of the machine that runs between two operations. */
  constructor(private readonly clock: VirtualClock, private readonly timing: FlashTiming, private readonly preempting?: string) {}

  erase(): void {
    this.stall(this.timing.eraseUs);
  }

  program(bytes: number): void {
    this.stall(this.timing.programUs(bytes));
  }

  private stall(us: number): void {
    this.owedUs += us;
    const ms = Math.floor(this.owedUs / 1000);
    this.owedUs -= ms * 1000;
    if (ms <= 0) return;
    const start = this.clock.now();
    this.clock.skip(ms);
    this.stalls.push([start, this.clock.now()]);
    if (this.preempting !== undefined) this.clock.runLane(this.preempting);
  }
}
