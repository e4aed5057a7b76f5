// The real-time Clock behind the Timer and Time shims for `implant run`: integer milliseconds
// since the clock's origin (like modMilliseconds() since boot), Node timers underneath. The origin
// is read from process.hrtime, one monotonic clock for every thread of the process, so a worker
// thread given its owner's origin reads the same time as its owner, as both machines do on a board.
import type { Clock, TimerHandle } from '../../../modules/core/clock.js';

interface WallHandle extends TimerHandle {
  timeout: ReturnType<typeof setTimeout>;
}

/** Milliseconds on the process-wide monotonic clock (fractional). */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class WallClock implements Clock {
  /** @param origin the monotonicMs() reading that is time 0 (default: now) */
  constructor(readonly origin: number = monotonicMs()) {}

  now(): number {
    return Math.floor(monotonicMs() - this.origin);
  }

  /** Never early: Node's loop clock can run a timer before performance.now() reaches the due time. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const due = this.now() + Math.max(0, delayMs);
    const handle = { __timerHandle: true } as WallHandle;
    const wait = (): void => {
      const left = due - this.now();
      if (left > 0) handle.timeout = setTimeout(wait, left);
      else callback();
    };
    handle.timeout = setTimeout(wait, Math.max(0, delayMs));
    return handle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) clearTimeout((handle as WallHandle).timeout);
  }

  /** Blocks the thread, as Timer.delay does on the device: no callback runs meanwhile. */
  block(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  }
}
