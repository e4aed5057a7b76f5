// The pace timer port (pace-timer.ts) on the board's hardware, through the manifest's "ffi"
// (modules/therapy/native/pace-timer-*.c: nRF52 TIMER + PPI + GPIOTE, ESP32 gptimer with an IRAM
// interrupt, lin a timer without pins). Once armed the hardware emits the pulse without the CPU,
// so a flash erase that stalls it cannot make the pace late. There is no call from C into
// JavaScript: a timer on the machine's clock, set for the armed time, reads the chamber's pulse
// count, and runs late after a stall; the pulse it then reports carries the time it was armed for.
// @req SAF-04 (docs/traceability.md)
// @req SAF-09 (docs/traceability.md)
import FFI from 'mc/ffi';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Chamber } from './markers.js';
import type { PacedHandler, PaceTimer } from './pace-timer.js';
import type { TherapyPins } from './pin-maps.js';

const native = new FFI();
const INDEX: Record<Chamber, number> = { A: 0, V: 1 };
/** implant_pace_arm's answer when the native runaway guard refuses the pulse. */
const REFUSED = -1;

interface Armed {
  at: number;
  /** The chamber's pulse count when armed: the pulse has gone out once it moves. */
  readonly count: number;
  poll: TimerHandle | undefined;
}

export class DevicePaceTimer implements PaceTimer {
  private readonly armed: Record<Chamber, Armed | undefined> = { A: undefined, V: undefined };
  private handler: PacedHandler = () => {};

  /**
   * Claims the pace pins (`paceActiveLow`: the pin idles high) for the hardware; `widthUs` is the
   * length of every pulse on the pin. Throws when the native side cannot set up its peripherals.
   */
  constructor(pins: Pick<TherapyPins, 'paceA' | 'paceV' | 'paceActiveLow'>, private readonly widthUs: number, private readonly clock: Clock) {
    const status = native.implant_pace_open(pins.paceA, pins.paceV, pins.paceActiveLow ? 1 : 0);
    if (status !== 0) throw new Error(`pace timer: native status ${status}`);
  }

  /** The amplitude and width travel with the call; the board's pin shows a fixed `widthUs` flash (device-io.ts). */
  arm(chamber: Chamber, at: number, _amplitudeMv: number, _widthUs: number): boolean {
    this.cancel(chamber);
    const now = this.clock.now();
    const delay = Math.max(0, Math.ceil(at - now));
    const count = native.implant_pace_count(INDEX[chamber]);
    const status = native.implant_pace_arm(INDEX[chamber], delay, this.widthUs);
    if (status === REFUSED) return false;
    if (status !== 0) throw new Error(`pace timer: native status ${status}`);
    const poll = this.clock.setTimeout(() => this.poll(), delay);
    this.armed[chamber] = { at: now + delay, count, poll };
    return true;
  }

  cancel(chamber: Chamber): boolean {
    const armed = this.armed[chamber];
    if (!armed) return false;
    if (native.implant_pace_cancel(INDEX[chamber]) !== 1) return false;
    this.clock.clearTimeout(armed.poll);
    this.armed[chamber] = undefined;
    return true;
  }

  poll(): void {
    for (const chamber of ['A', 'V'] as const) {
      const armed = this.armed[chamber];
      if (!armed) continue;
      if (native.implant_pace_count(INDEX[chamber]) === armed.count) {
        // Not out yet (the JavaScript timer ran a little early of the hardware): look again next ms.
        if (this.clock.now() >= armed.at) {
          this.clock.clearTimeout(armed.poll);
          armed.poll = this.clock.setTimeout(() => this.poll(), 1);
        }
        continue;
      }
      this.clock.clearTimeout(armed.poll);
      this.armed[chamber] = undefined;
      this.handler(chamber, armed.at);
    }
  }

  listen(handler: PacedHandler): void {
    this.handler = handler;
  }
}
