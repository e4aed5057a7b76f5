// Host shim of Moddable "time" (typings/time.d.ts; modules/base/time): ticks and delta on the
// clock host-control selects. ticks is a 32-bit signed millisecond count that wraps after about
// 24.8 days, as xsmcSetInteger(modMilliseconds()) does; delta is the wrap-safe difference.
// Not shimmed: set/timezone/dst (the firmware keeps no calendar time) and microseconds (an
// optional SDK module), so code using them fails the host type-check.
import { hostTime } from './host-control.js';
import { toInt32, toUint32 } from './host/xs-values.js';

const Time = Object.freeze({
  get ticks(): number {
    return toInt32(Math.floor(hostTime().clock.now()));
  },
  /** end - start in milliseconds, both taken as unsigned 32-bit ticks; end defaults to now. */
  delta(start: number, ...end: [end?: number]): number {
    const stop = end.length ? toUint32(end[0]) : toUint32(Time.ticks);
    return toInt32(stop - toUint32(start));
  },
});

export { Time as default };
