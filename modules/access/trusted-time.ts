// Device time for certificate validity (docs/access-control.md, "Time"). The board has no
// battery-backed clock, so after a reboot the time is UNKNOWN until an authenticated programmer
// sets it. A persistent floor (a monotonic counter) remembers the latest trusted time, so:
//   - clock known:   not-before <= now <= not-after;
//   - clock unknown: not-after >= floor (a certificate expired before a time we once trusted
//                    is certainly expired); not-before cannot be checked and is skipped.
// Setting the clock never moves it below the floor, and never more than MAX_FORWARD_JUMP above
// the best time known, so one mistaken or malicious set cannot expire every certificate at once.
import type { Clock } from '../core/clock.js';
import type { CounterStore } from './ports.js';
import { AccessStatus } from './status.js';

export const TIME_FLOOR_COUNTER = 'access.time-floor';
/** Largest step forward one time.set may take (seconds): one year. */
export const MAX_FORWARD_JUMP = 366 * 86400;
/** The floor follows a running clock once a day (one counter write per day). */
const FLOOR_REFRESH = 86400;

export type TimeSetResult = { ok: true } | { ok: false; status: number };

export class TrustedTime {
  /** Unix seconds at monotonic time `baseMs`, once set since boot. */
  private base: { seconds: number; atMs: number } | undefined;

  constructor(private readonly clock: Clock, private readonly counters: CounterStore) {}

  /** Trusted Unix time in whole seconds, or undefined while unknown (since boot, until set). */
  now(): number | undefined {
    if (!this.base) return undefined;
    const seconds = this.base.seconds + Math.floor((this.clock.now() - this.base.atMs) / 1000);
    if (seconds >= this.floor() + FLOOR_REFRESH) this.counters.raise(TIME_FLOOR_COUNTER, seconds);
    return seconds;
  }

  /** The latest time this device ever trusted (0 if never set). Survives reboot. */
  floor(): number {
    return this.counters.read(TIME_FLOOR_COUNTER);
  }

  set(seconds: number): TimeSetResult {
    const floor = this.floor();
    if (seconds < floor) return { ok: false, status: AccessStatus.TIME_REFUSED };
    const reference = this.now() ?? floor;
    if (reference > 0 && seconds > reference + MAX_FORWARD_JUMP) return { ok: false, status: AccessStatus.TIME_REFUSED };
    this.base = { seconds, atMs: this.clock.now() };
    this.counters.raise(TIME_FLOOR_COUNTER, seconds);
    return { ok: true };
  }

  /** Checks a validity period against the policy above; returns 0 when valid, else a status. */
  checkValidity(notBefore: number, notAfter: number): number {
    const now = this.now();
    if (now === undefined) return notAfter < this.floor() ? AccessStatus.CERT_EXPIRED : 0;
    if (now < notBefore) return AccessStatus.CERT_NOT_YET_VALID;
    if (now > notAfter) return AccessStatus.CERT_EXPIRED;
    return 0;
  }
}
