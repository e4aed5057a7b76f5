// Therapy's device I/O: sense edges by interrupt on Moddable's legacy pins API
// ("pins/digital/monitor"), the magnet and battery-status inputs, an activity level counted from
// motion pulses, and the pace pins, which belong to the hardware pace timer (device-pace-timer.ts):
// it emits each armed pulse without the CPU and keeps its own runaway guard, a third line behind
// the engine's two.
// @req SAF-04 (docs/traceability.md)
import Digital from 'pins/digital';
import Monitor from 'pins/digital/monitor';
import Timer from 'timer';
import type { Clock } from '../core/clock.js';
import { DevicePaceTimer } from './device-pace-timer.js';
import type { Chamber } from './markers.js';
import type { PaceTimer } from './pace-timer.js';
import type { TherapyPins } from './pin-maps.js';
import { MAX_ACTIVITY_LEVEL } from './rate-sensor.js';
import type { BatteryLevel } from './rules.js';

/** How long the pace pin stays on: a board cannot shape a 0.05-1.9 ms pulse into tissue, so it shows a visible, timeable flash. */
export const PULSE_MS = 5;
/** The activity input is sampled over this window; pulses per window map to a level. */
export const ACTIVITY_WINDOW_MS = 2000;
const PULSES_PER_LEVEL = 2;
/** Both edges: the esp32 and nrf52 drivers take the bit-or of Rising and Falling (the typings list single edges only). */
const BOTH_EDGES = 3;

export interface DeviceInputs {
  sense(chamber: Chamber): void;
  magnet(present: boolean): void;
  battery(level: BatteryLevel): void;
  activity(level: number): void;
}

export class DeviceIO {
  /** Arms the pulses on the pace pins (the engine's, or the backup pacer's, pace timer). */
  readonly paceTimer: PaceTimer;
  private readonly monitors: Monitor[] = [];
  private readonly activityTimer: Timer;
  private activityRises = 0;

  constructor(private readonly pins: TherapyPins, inputs: DeviceInputs, clock: Clock) {
    this.paceTimer = new DevicePaceTimer(pins, PULSE_MS * 1000, clock);
    this.watch(pins.senseA, Monitor.Rising, () => inputs.sense('A'));
    this.watch(pins.senseV, Monitor.Rising, () => inputs.sense('V'));
    const magnet = this.watch(pins.magnet, BOTH_EDGES, () => inputs.magnet(magnet.read() === 0));
    const ern = this.watch(pins.batteryErn, BOTH_EDGES, () => inputs.battery(this.battery(ern, ert)));
    const ert = this.watch(pins.batteryErt, BOTH_EDGES, () => inputs.battery(this.battery(ern, ert)));
    const activity = this.watch(pins.activity, Monitor.Rising, () => {});
    this.activityTimer = Timer.repeat(() => {
      const rises = activity.rises;
      const level = Math.min(MAX_ACTIVITY_LEVEL, Math.floor((rises - this.activityRises) / PULSES_PER_LEVEL));
      this.activityRises = rises;
      inputs.activity(level);
    }, ACTIVITY_WINDOW_MS);
    inputs.magnet(magnet.read() === 0);
    inputs.battery(this.battery(ern, ert));
  }

  close(): void {
    Timer.clear(this.activityTimer);
    for (const m of this.monitors) m.close();
    this.paceTimer.cancel('A');
    this.paceTimer.cancel('V');
  }

  private battery(ern: Monitor, ert: Monitor): BatteryLevel {
    if (ert.read() === 0) return 'ERT';
    return ern.read() === 0 ? 'ERN' : 'BOL';
  }

  /** An input with an edge interrupt; inputs with pull-ups are switches to ground. */
  private watch(pin: number, edge: number, onChanged: () => void): Monitor {
    const pulled = pin === this.pins.magnet || pin === this.pins.batteryErn || pin === this.pins.batteryErt;
    const monitor = new Monitor({ pin, mode: pulled ? Digital.InputPullUp : Digital.Input, edge: edge as 1 | 2 });
    monitor.onChanged = onChanged;
    this.monitors.push(monitor);
    return monitor;
  }
}
