// The therapy reset history and the safe-mode latch, kept on the main machine in storage's
// power-safe monotonic counters (the therapy machine never touches flash). Three resets within
// SAFE_MODE_WINDOW_MS (Boston Scientific: 48 h) latch safe mode, and the latch outlives any number
// of reboots until a clinician clears it (therapy.clear-safe-mode).
//
// Time base: the board has no battery-backed clock and trusted wall time is unknown after a reset
// until a programmer sets it, so resets are stamped in *operating time*: the `operatingTime`
// counter (raised every OPERATING_TIME_STEP_MS while running) plus this boot's uptime. It falls
// behind real time by at most one step per reset (and by any time the board was unpowered), so a
// window measured in it is never shorter than the real one: resets are counted, never missed.
//
// Every value only rises, so each fits a monotonic counter and survives a power cut at any point:
// - `resets` numbers the resets; reset n stamps slot resetAt(n mod 3) with its operating time + 1;
// - safeModeLatch and safeModeClear hold the reset number at which safe mode was last latched and
//   last cleared: latched while safeModeLatch > safeModeClear, and resets numbered at or below the
//   clearing no longer count.
// @req SAF-08 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import type { CounterName, Counters } from '../storage/counters.js';
import { SAFE_MODE_RESETS, SAFE_MODE_WINDOW_MS } from '../therapy/therapy.js';

/** One slot per reset the rule counts (SAFE_MODE_RESETS of them). */
const SLOTS: readonly CounterName[] = Object.freeze(['resetAt0', 'resetAt1', 'resetAt2']);
/** How often the operating-time floor is written (two records each time): 96 writes a day. */
export const OPERATING_TIME_STEP_MS = 15 * 60 * 1000;

export interface ResetStatus {
  /** Resets before this one still inside the window (what the therapy machine is told). */
  readonly prior: number;
  readonly latched: boolean;
}

export class ResetHistory {
  private readonly bootFloor: number;
  private timer: TimerHandle | undefined;

  /** @param counters storage's counters; reading them does not write. */
  constructor(private readonly counters: Counters, private readonly clock: Clock) {
    if (SLOTS.length !== SAFE_MODE_RESETS) throw new Error('one reset slot per reset of the safe-mode rule');
    this.bootFloor = counters.get('operatingTime');
  }

  /** Operating time now: a lower bound of the time the device has been running, over all boots. */
  now(): number {
    return this.bootFloor + this.clock.now();
  }

  /** Records one reset (this boot, or a reset inside the therapy machine); the third in the window latches safe mode. */
  recordReset(): ResetStatus {
    const now = this.now();
    const last = this.counters.get('resets');
    const cleared = this.counters.get('safeModeClear');
    let prior = 0;
    for (let n = last; n > Math.max(cleared, last - SLOTS.length + 1); n--) {
      if (now - (this.counters.get(SLOTS[n % SLOTS.length]) - 1) <= SAFE_MODE_WINDOW_MS) prior++;
    }
    this.counters.raise('operatingTime', now);
    const n = this.counters.increment('resets');
    this.counters.raise(SLOTS[n % SLOTS.length], now + 1);
    if (prior + 1 >= SAFE_MODE_RESETS) this.latch();
    return { prior, latched: this.latched() };
  }

  latched(): boolean {
    return this.counters.get('safeModeLatch') > this.counters.get('safeModeClear');
  }

  /** Latches safe mode (nothing to do if latched already). */
  latch(): void {
    if (this.latched()) return;
    this.counters.raise('safeModeLatch', Math.max(this.counters.get('resets'), this.counters.get('safeModeClear') + 1));
  }

  /** A clinician cleared safe mode: the latch opens and the resets so far leave the window. */
  clear(): void {
    this.counters.raise('safeModeClear', Math.max(this.counters.get('resets'), this.counters.get('safeModeLatch')));
  }

  /** Keeps the operating-time floor within one step of the truth; `onError` hears failed writes. */
  keepTime(onError: (error: unknown) => void): void {
    this.timer = this.clock.setTimeout(() => {
      try {
        this.counters.raise('operatingTime', this.now());
      } catch (error) {
        onError(error);
      }
      this.keepTime(onError);
    }, OPERATING_TIME_STEP_MS);
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
  }
}
