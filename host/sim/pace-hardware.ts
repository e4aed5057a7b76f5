// The boards' pace timer peripheral (modules/therapy/native/pace-timer-*.c) as the host runs it
// behind the "mc/ffi" shim: per chamber one compare that, once armed, drives the pace pin on at its
// time and off after the pulse width, on the clock's hardware lane, so it fires on time while a
// flash operation stalls the CPU (VirtualClock.skip). It keeps the native runaway guard and the
// pulse counts JavaScript reads; it never calls JavaScript.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';
import { runawayRefuses } from '../../modules/therapy/pace-timer.js';
import { VirtualClock } from './virtual-clock.js';

/** implant_pace_* status codes (modules/therapy/native/pace-timer.h). */
export const PaceStatus = Object.freeze({ OK: 0, REFUSED: -1, BAD_ARGUMENT: -2, NOT_OPEN: -3 });

export interface PaceLine {
  /** The pin's level: 1 high. */
  drive(pin: number, level: number): void;
  /** A pulse went out (for the simulator's pace record). */
  pulse?(chamber: 0 | 1, t: number): void;
}

interface Channel {
  pin: number;
  compare: TimerHandle | undefined;
  count: number;
  last: number;
}

export class PaceHardware {
  private channels: [Channel, Channel] | undefined;
  private activeLow = false;

  constructor(private readonly clock: Clock, private readonly line: PaceLine) {}

  /** implant_pace_open: claims both pins at their idle level and disarms both compares; counts go on. */
  open(pinA: number, pinV: number, activeLow: number): number {
    for (const c of this.channels ?? []) this.clock.clearTimeout(c.compare);
    const keep = this.channels;
    this.activeLow = activeLow !== 0;
    this.channels = [
      { pin: pinA, compare: undefined, count: keep?.[0].count ?? 0, last: keep?.[0].last ?? -Infinity },
      { pin: pinV, compare: undefined, count: keep?.[1].count ?? 0, last: keep?.[1].last ?? -Infinity },
    ];
    for (const c of this.channels) this.line.drive(c.pin, this.level(false));
    return PaceStatus.OK;
  }

  /** implant_pace_arm: the pulse `delayMs` from now, unless closer than the runaway interval to the chamber's last. */
  arm(chamber: number, delayMs: number, widthUs: number): number {
    const c = this.channel(chamber);
    if (typeof c === 'number') return c;
    if (!(delayMs >= 0) || !(widthUs > 0)) return PaceStatus.BAD_ARGUMENT;
    this.clock.clearTimeout(c.compare);
    const at = this.clock.now() + delayMs;
    if (runawayRefuses(c.last, at)) return PaceStatus.REFUSED;
    c.compare = this.hardwareTimeout(() => this.fire(chamber as 0 | 1, c, widthUs), delayMs);
    return PaceStatus.OK;
  }

  /** implant_pace_cancel: 1 when a pulse was pending, 0 when none was (already out, or never armed). */
  cancel(chamber: number): number {
    const c = this.channel(chamber);
    if (typeof c === 'number') return c;
    const pending = c.compare !== undefined;
    this.clock.clearTimeout(c.compare);
    c.compare = undefined;
    return pending ? 1 : 0;
  }

  /** implant_pace_count: pulses emitted in the chamber since power-on (uint32). */
  count(chamber: number): number {
    const c = this.channel(chamber);
    return typeof c === 'number' ? 0 : c.count >>> 0;
  }

  private fire(chamber: 0 | 1, c: Channel, widthUs: number): void {
    const t = this.clock.now();
    c.compare = undefined;
    c.last = t;
    c.count++;
    this.line.drive(c.pin, this.level(true));
    this.line.pulse?.(chamber, t);
    this.hardwareTimeout(() => this.line.drive(c.pin, this.level(false)), widthUs / 1000);
  }

  private hardwareTimeout(callback: () => void, ms: number): TimerHandle {
    return this.clock instanceof VirtualClock ? this.clock.setHardwareTimeout(callback, ms) : this.clock.setTimeout(callback, ms);
  }

  private channel(chamber: number): Channel | number {
    if (!this.channels) return PaceStatus.NOT_OPEN;
    if (chamber !== 0 && chamber !== 1) return PaceStatus.BAD_ARGUMENT;
    return this.channels[chamber];
  }

  private level(on: boolean): number {
    return on !== this.activeLow ? 1 : 0;
  }
}
