// The real-time Clock behind the Timer and Time shims for `implant run`: integer milliseconds
// since the clock was created (like modMilliseconds() since boot), Node timers underneath.
import type { Clock, TimerHandle } from '../../../modules/core/clock.js';

interface WallHandle extends TimerHandle {
  timeout: ReturnType<typeof setTimeout>;
}

export class WallClock implements Clock {
  private readonly origin = performance.now();

  now(): number {
    return Math.floor(performance.now() - this.origin);
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
