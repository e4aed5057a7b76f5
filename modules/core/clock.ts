// Time is injected (docs/architecture.md, "Injected, not imported"): every timer in the firmware goes through a Clock, so
// the device runs on Moddable's Timer, the simulator on wall time, and tests on a virtual clock.

/** An opaque handle for a scheduled callback. */
export interface TimerHandle {
  readonly __timerHandle: true;
}

export interface Clock {
  /** Milliseconds on a monotonic time base; only differences are meaningful. */
  now(): number;
  /** Calls `callback` once, `delayMs` (>= 0) after now. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a pending callback; a handle that already fired or is undefined is ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}
