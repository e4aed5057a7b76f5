// Sensor-indicated rate for the R modes (spec §5.7): activity above the threshold drives the rate
// toward a target between LRL and MSR; it rises over the reaction time and falls over the recovery time.
import { ACTIVITY_THRESHOLDS } from './params.js';
import type { PacingParameters } from './params.js';

/** Activity levels reported by the input, 0 (rest) to this value. */
export const MAX_ACTIVITY_LEVEL = 8;

export class RateSensor {
  private rate: number;
  private level = 0;
  private updatedAt: number;

  constructor(lrl: number, now: number) {
    this.rate = lrl;
    this.updatedAt = now;
  }

  setActivity(level: number): void {
    this.level = level;
  }

  /** The target rate for the current activity: the response factor scales how far above threshold reaches MSR. */
  target(p: Readonly<PacingParameters>): number {
    const threshold = ACTIVITY_THRESHOLDS.indexOf(p.activityThreshold) + 1;
    const excess = this.level - threshold + 1;
    if (excess <= 0) return p.lrl;
    return p.lrl + (p.msr - p.lrl) * Math.min(1, (excess * p.responseFactor) / 16);
  }

  /** Moves the rate toward the target for the time elapsed since the last update; returns ppm. */
  update(p: Readonly<PacingParameters>, now: number): number {
    const seconds = Math.max(0, now - this.updatedAt) / 1000;
    this.updatedAt = now;
    const span = Math.max(1, p.msr - p.lrl);
    const target = this.target(p);
    if (this.rate < target) this.rate = Math.min(target, this.rate + (span / p.reactionTime) * seconds);
    else this.rate = Math.max(target, this.rate - (span / (p.recoveryTime * 60)) * seconds);
    this.rate = Math.min(p.msr, Math.max(p.lrl, this.rate));
    return this.rate;
  }
}
