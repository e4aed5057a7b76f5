// Host shim of Moddable "timer" (typings/timer.d.ts; behaviour of modules/base/timer/modTimer.c
// and the mc timer list), on the clock host-control selects. What it keeps from the device:
// - set(cb) fires on the next turn; set(cb, ms) once after ms; set(cb, ms, repeat) then every repeat.
// - The callback gets the timer and runs with this === globalThis.
// - A repeating timer advances its due time by the interval before the call (no drift).
// - After the call a timer whose repeat is 0 is removed, even if the callback rescheduled it
//   with schedule(t, ms); schedule(t) (no interval) unschedules but keeps it.
// - A removed timer is dead: clear() ignores it, schedule() throws as the SDK's host-data check.
// - Intervals convert like xsmcToInteger (ToInt32); delay() blocks, letting no callback run.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';
import { hostTime } from './host-control.js';
import { toInt32 } from './host/xs-values.js';

export type TimerCallback = (timer: Timer) => void;

class Timer {
  #callback: TimerCallback | undefined;
  readonly #clock: Clock;
  #handle: TimerHandle | undefined;
  #due = 0;
  #repeat = 0;
  #scheduled = false;

  private constructor(callback: TimerCallback, interval: number, repeat: number) {
    if (typeof callback !== 'function') throw new TypeError('Timer: callback is not a function');
    this.#callback = callback;
    this.#clock = hostTime().clock;
    this.#arm(interval, repeat);
  }

  static set(callback: TimerCallback, interval?: number, repeat?: number): Timer {
    return new Timer(callback, toInt32(interval), toInt32(repeat));
  }

  static repeat(callback: TimerCallback, interval: number): Timer {
    return new Timer(callback, toInt32(interval), toInt32(interval));
  }

  static schedule(timer: Timer, ...intervals: [interval?: number, repeat?: number]): void {
    const live = Timer.#live(timer);
    if (intervals.length === 0) live.#unschedule();
    else live.#arm(toInt32(intervals[0]), toInt32(intervals[1]));
  }

  static clear(timer: Timer | undefined | null): void {
    if (typeof timer === 'object' && timer !== null && #callback in timer && timer.#callback) timer.#remove();
  }

  static delay(milliseconds: number): void {
    hostTime().block(Math.max(0, toInt32(milliseconds)));
  }

  static #live(timer: unknown): Timer {
    if (typeof timer !== 'object' || timer === null || !(#callback in timer)) throw new SyntaxError('C: xsGetHostData: not a host object');
    if (!timer.#callback) throw new SyntaxError('C: xsGetHostData: invalid host data');
    return timer;
  }

  #arm(interval: number, repeat: number): void {
    this.#clock.clearTimeout(this.#handle);
    this.#due = this.#clock.now() + interval;
    this.#repeat = repeat >>> 0; // the C record keeps it unsigned
    this.#scheduled = true;
    this.#wait();
  }

  #unschedule(): void {
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#scheduled = false;
    this.#repeat = 0xffffffff; // modTimerUnschedule: never 0, so an unscheduled timer survives its callback
  }

  #remove(): void {
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#callback = undefined;
    this.#scheduled = false;
  }

  #wait(): void {
    this.#handle = this.#clock.setTimeout(() => this.#fire(), Math.max(0, this.#due - this.#clock.now()));
  }

  #fire(): void {
    this.#handle = undefined;
    this.#due += this.#repeat;
    try {
      this.#callback!.call(globalThis, this);
    } finally {
      if (this.#callback) {
        if (this.#repeat === 0) this.#remove();
        else if (this.#scheduled && this.#handle === undefined) this.#wait();
      }
    }
  }
}

export { Timer as default };
