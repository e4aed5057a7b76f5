// The pace timer port (docs/therapy.md, "The pace timer"): the engine arms each chamber's next
// pulse at an absolute time on its clock, and the timer emits it then. On a board the timer is
// hardware (device-pace-timer.ts), so a CPU stalled by a flash erase cannot make a pace late; the
// report of the pulse reaches JavaScript afterwards, possibly late, carrying the time it went out.
// ClockPaceTimer is the same port on a Clock, for tests and the engine's default.
// @req SAF-04 (docs/traceability.md)
// @req SAF-09 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import { RUNAWAY_MIN_INTERVAL_MS } from './intervals.js';
import type { Chamber } from './markers.js';

/** Hears of each pulse the timer emitted in `chamber` at time `t`. */
export type PacedHandler = (chamber: Chamber, t: number) => void;

export interface PaceTimer {
  /**
   * Arms the chamber's next pulse at `at` (now, if that has passed), replacing a pending one.
   * False when the runaway guard refuses it: closer than RUNAWAY_MIN_INTERVAL_MS to the chamber's last pulse.
   */
  arm(chamber: Chamber, at: number, amplitudeMv: number, widthUs: number): boolean;
  /** True when it disarmed a pulse still pending; false when none was (it may have just gone out: poll() reports it). */
  cancel(chamber: Chamber): boolean;
  /** Reports now every pulse emitted but not yet reported (the reports also come by themselves, later). */
  poll(): void;
  /** The one handler of reports; a new owner (a new engine) replaces the old. */
  listen(handler: PacedHandler): void;
}

/** The runaway guard every pace timer keeps: a pulse at `at` is refused this close to the chamber's last. */
export function runawayRefuses(lastPulse: number, at: number): boolean {
  return at - lastPulse < RUNAWAY_MIN_INTERVAL_MS;
}

/** The port on a Clock: a timer callback emits the pulse and reports it at once. It runs late when the clock's callbacks do. */
export class ClockPaceTimer implements PaceTimer {
  private readonly pending: Record<Chamber, TimerHandle | undefined> = { A: undefined, V: undefined };
  private readonly lastPulse: Record<Chamber, number> = { A: -Infinity, V: -Infinity };
  private handler: PacedHandler = () => {};

  constructor(
    private readonly clock: Clock,
    private readonly emit: (chamber: Chamber, amplitudeMv: number, widthUs: number) => void,
  ) {}

  arm(chamber: Chamber, at: number, amplitudeMv: number, widthUs: number): boolean {
    this.cancel(chamber);
    const due = Math.max(at, this.clock.now());
    if (runawayRefuses(this.lastPulse[chamber], due)) return false;
    this.pending[chamber] = this.clock.setTimeout(() => {
      this.pending[chamber] = undefined;
      const t = this.clock.now();
      this.lastPulse[chamber] = t;
      this.emit(chamber, amplitudeMv, widthUs);
      this.handler(chamber, t);
    }, due - this.clock.now());
    return true;
  }

  cancel(chamber: Chamber): boolean {
    const handle = this.pending[chamber];
    this.clock.clearTimeout(handle);
    this.pending[chamber] = undefined;
    return handle !== undefined;
  }

  poll(): void {
    // Reports are made as the pulse goes out.
  }

  listen(handler: PacedHandler): void {
    this.handler = handler;
  }
}
