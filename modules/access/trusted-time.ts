// Device time for certificate validity (docs/access-control.md, "Time"). The board has no
// battery-backed clock, so after a reboot the time is UNKNOWN until an authenticated programmer
// sets it. A persistent floor (a monotonic counter) is the latest time the device can vouch for:
//   - clock known:   not-before <= now <= not-after;
//   - clock unknown: not-after >= floor (a certificate that expired before a time we can vouch
//                    for is certainly expired); not-before cannot be checked and is skipped.
// The floor starts at BUILD_TIME (no device runs before its firmware was built) and rises only by
// what the device itself can vouch for: the operating time it counted since the floor was last
// written. A time.set moves the clock in RAM; it raises the floor to the set value only as far as
// that operating time covers, unless the manufacturer sets it with presence held. Every set must
// also stay within MAX_FORWARD_JUMP of the time the device can vouch for (not of the last set),
// so no number of sets can walk the clock or the floor into the future and expire every
// certificate.
import type { Clock } from '../core/clock.js';
import type { CounterStore } from './ports.js';
import { AccessStatus } from './status.js';

export const TIME_FLOOR_COUNTER = 'access.time-floor';
/** When this firmware release was built (2026-11-01T00:00:00Z): the floor never starts below it. */
export const BUILD_TIME = 1_793_491_200;
/** Largest step one time.set may take beyond the time the device can vouch for (seconds): one year. */
export const MAX_FORWARD_JUMP = 366 * 86400;
/** The floor follows the operating time once a day (one counter write per day). */
const FLOOR_REFRESH = 86400;

export type TimeSetResult = { ok: true } | { ok: false; status: number };

/** Who sets the time: only the manufacturer with presence held may raise the floor beyond what the device vouches for. */
export interface TimeSetter {
  readonly vouches: boolean;
}

export class TrustedTime {
  /** Unix seconds at monotonic time `atMs`, once set since boot. */
  private base: { seconds: number; atMs: number } | undefined;
  /** The floor, and the monotonic time from which operating time counts on top of it. */
  private anchor: { floor: number; atMs: number };

  constructor(private readonly clock: Clock, private readonly counters: CounterStore, buildTime = BUILD_TIME) {
    this.anchor = { floor: Math.max(counters.read(TIME_FLOOR_COUNTER), buildTime), atMs: clock.now() };
  }

  /** Trusted Unix time in whole seconds, or undefined while unknown (since boot, until set). */
  now(): number | undefined {
    this.follow();
    return this.clockSeconds();
  }

  /** The latest time this device can vouch for having passed (at least BUILD_TIME). Survives reboot. */
  floor(): number {
    this.follow();
    return this.anchor.floor;
  }

  /** The floor plus the operating time since it was written: a time that has surely passed. */
  vouched(): number {
    return this.anchor.floor + Math.floor((this.clock.now() - this.anchor.atMs) / 1000);
  }

  set(seconds: number, setter: TimeSetter = { vouches: false }): TimeSetResult {
    const best = this.now() ?? this.floor();
    if (seconds < (setter.vouches ? this.floor() : best)) return { ok: false, status: AccessStatus.TIME_REFUSED };
    if (seconds > this.vouched() + MAX_FORWARD_JUMP) return { ok: false, status: AccessStatus.TIME_REFUSED };
    this.base = { seconds, atMs: this.clock.now() };
    this.raiseFloor(setter.vouches ? seconds : Math.min(seconds, this.vouched()));
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

  private clockSeconds(): number | undefined {
    return this.base && this.base.seconds + Math.floor((this.clock.now() - this.base.atMs) / 1000);
  }

  /** Once a day of operating time, the floor follows it (never past a clock set lower). */
  private follow(): void {
    const target = Math.min(this.vouched(), this.clockSeconds() ?? Infinity);
    if (target >= this.anchor.floor + FLOOR_REFRESH) this.raiseFloor(target);
  }

  private raiseFloor(seconds: number): void {
    if (seconds <= this.anchor.floor) return;
    this.counters.raise(TIME_FLOOR_COUNTER, seconds);
    this.anchor = { floor: seconds, atMs: this.clock.now() };
  }
}
