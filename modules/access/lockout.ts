// Lockout with exponential backoff (docs/access-control.md, "Lockout"). Failed handshakes and
// certificate checks count; after LOCKOUT.FREE_FAILURES in a row, new handshakes are refused for
// BASE_MS, doubling with every further failure up to MAX_MS. Success ends the streak.
//
// Both numbers live in monotonic counters, so a power cut or reset cannot erase a streak:
//   streak = failures - failuresAtLastSuccess
// After a reboot the device waits the full backoff of the current streak again, measured from
// boot (it has no clock that survives reset), which is never shorter than what remained.
// @req SEC-09 (docs/traceability.md)
import type { Clock } from '../core/clock.js';
import type { CounterStore } from './ports.js';

export const LOCKOUT = Object.freeze({
  FREE_FAILURES: 3,
  BASE_MS: 30_000,
  MAX_MS: 3_600_000,
});

export const FAILURES_COUNTER = 'access.auth-failures';
export const FAILURES_AT_SUCCESS_COUNTER = 'access.auth-failures-at-success';

/** Backoff after `streak` consecutive failures (0 while within the free attempts). */
export function backoffMs(streak: number): number {
  if (streak < LOCKOUT.FREE_FAILURES) return 0;
  const doublings = streak - LOCKOUT.FREE_FAILURES;
  return doublings >= 30 ? LOCKOUT.MAX_MS : Math.min(LOCKOUT.MAX_MS, LOCKOUT.BASE_MS * 2 ** doublings);
}

export class Lockout {
  private lockedUntilMs: number;

  constructor(private readonly clock: Clock, private readonly counters: CounterStore) {
    this.lockedUntilMs = clock.now() + backoffMs(this.streak());
  }

  streak(): number {
    return this.counters.read(FAILURES_COUNTER) - this.counters.read(FAILURES_AT_SUCCESS_COUNTER);
  }

  isLocked(): boolean {
    return this.clock.now() < this.lockedUntilMs;
  }

  /** Monotonic time at which handshakes are accepted again. */
  lockedUntil(): number {
    return this.lockedUntilMs;
  }

  /** Counts a failure; returns the new streak. */
  recordFailure(): number {
    const failures = this.counters.read(FAILURES_COUNTER) + 1;
    this.counters.raise(FAILURES_COUNTER, failures);
    const streak = this.streak();
    this.lockedUntilMs = this.clock.now() + backoffMs(streak);
    return streak;
  }

  recordSuccess(): void {
    if (this.streak() === 0) return;
    this.counters.raise(FAILURES_AT_SUCCESS_COUNTER, this.counters.read(FAILURES_COUNTER));
    this.lockedUntilMs = this.clock.now();
  }
}
