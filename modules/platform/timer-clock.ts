// The device Clock (modules/core/clock.ts) over Moddable's Timer and Time.ticks. Time.ticks is a
// signed 32-bit millisecond count that wraps after 24.8 days, and a pacemaker runs for years, so
// now() accumulates Time.delta steps into an exact millisecond count; a slow repeating timer
// samples it so that no two samples are ever a whole wrap apart.
import Time from 'time';
import Timer from 'timer';
import type { Clock, TimerHandle } from '../core/clock.js';

/** Timer intervals are int32 milliseconds. */
const MAX_DELAY_MS = 0x7fffffff;
/** Half a wrap (12.4 days): the longest gap between two samples of Time.ticks. */
const SAMPLE_INTERVAL_MS = 0x40000000;

export class TimerClock implements Clock {
  private lastTicks: number;
  private elapsed: number;

  constructor() {
    this.lastTicks = Time.ticks;
    this.elapsed = this.lastTicks >>> 0; // milliseconds since boot, while under 49 days
    Timer.repeat(() => this.now(), SAMPLE_INTERVAL_MS);
  }

  now(): number {
    const ticks = Time.ticks;
    this.elapsed += Time.delta(this.lastTicks, ticks);
    this.lastTicks = ticks;
    return this.elapsed;
  }

  /** Delays round up to whole milliseconds (never early); above 2^31-1 ms they throw RangeError. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    if (!(delayMs <= MAX_DELAY_MS)) throw new RangeError(`delay ${delayMs} ms outside 0...${MAX_DELAY_MS}`);
    return Timer.set(() => callback(), Math.max(0, Math.ceil(delayMs))) as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    Timer.clear(handle as unknown as Timer | undefined);
  }
}
