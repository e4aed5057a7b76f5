// The timing rules of one cardiac cycle as pure functions. The engine takes them as one frozen
// object so that tests can build deliberately broken variants and prove the trace checker
// catches each (hosttest/therapy/broken-variants.ts); the device always uses SPEC_RULES.
import { intervalOf, RUNAWAY_MIN_INTERVAL_MS } from './intervals.js';
import type { ModeLetters } from './modes.js';
import type { PacingParameters } from './params.js';

export type BatteryLevel = 'BOL' | 'ERN' | 'ERT' | 'ERP';

/** What the rules know about the cycle that starts at a boundary event. */
export interface CycleInputs {
  readonly params: Readonly<PacingParameters>;
  readonly letters: ModeLetters;
  /** The boundary event was a non-refractory sense (hysteresis applies after it, §5.8). */
  readonly afterSense: boolean;
  /** The previous boundary-to-boundary interval, when known and not ended by a PVC. */
  readonly previousInterval: number | undefined;
  /** Sensor-indicated interval in rate-adaptive modes (§5.7). */
  readonly sensorInterval: number | undefined;
  /** An interval imposed by a special state (magnet rate, ATR fallback ramp); no hysteresis or smoothing then. */
  readonly imposedInterval: number | undefined;
}

export interface TimingRules {
  /** Longest time from the boundary to the next pace in the timing chamber. */
  escape(c: CycleInputs): number;
  /** Shortest time from a ventricular event to a tracked ventricular pace (URL, §5.2; rate smoothing up, §5.9). */
  trackingLimit(c: CycleInputs): number;
  /** Paced and sensed AV delays (§5.3), and the shortest sensed AV the device may use. */
  avDelays(c: CycleInputs): { pav: number; sav: number };
  /** Refractory periods started by the boundary (§5.4); `extendedPvarp` (0 when none) is a longer PVARP in force for this cycle. */
  refractory(c: CycleInputs, extendedPvarp: number): { vrp: number; arp: number; pvarp: number };
  /** Does a non-refractory sense in a sensed chamber restart timing (I, T and D responses do; O does not)? */
  senseResets(letters: ModeLetters): boolean;
  magnetRate(battery: BatteryLevel): number;
  /** A sense this soon after the previous one in its chamber is noise (8 Hz, after Biotronik's 125 ms window). */
  readonly noiseWindowMs: number;
  /** Delay from a sense to its triggered pace in T modes. */
  readonly triggerDelayMs: number;
  /** Hard floor between two paces in one chamber (205 ppm runaway cap). */
  readonly minPaceGapMs: number;
  /** Consecutive VP→AS cycles at the upper rate that count as a pacemaker-mediated tachycardia. */
  readonly pmtCycles: number;
  /** VP→AS shorter than this makes a PMT-suspect cycle (a VA criterion, Biotronik 250–500 ms). */
  readonly pmtVaMs: number;
  /** PVARP used for one cycle to break a PMT (Jiang's ELT model). */
  readonly pmtPvarpMs: number;
  /** Net fast atrial intervals that declare atrial tachycardia (ATR onset, §5.6). */
  readonly atrOnsetCount: number;
}

function smoothedEscape(c: CycleInputs, base: number): number {
  const { rateSmoothingDown } = c.params;
  if (rateSmoothingDown === 0 || c.previousInterval === undefined) return base;
  return Math.min(base, Math.floor((c.previousInterval * (100 + rateSmoothingDown)) / 100));
}

export const SPEC_RULES: TimingRules = Object.freeze({
  escape(c: CycleInputs): number {
    const p = c.params;
    const upper = Math.min(intervalOf(p.url), c.letters.rateAdaptive ? intervalOf(p.msr) : Infinity);
    if (c.imposedInterval !== undefined) return c.imposedInterval;
    let base = Math.min(intervalOf(p.lrl), c.sensorInterval ?? Infinity);
    if (p.hysteresis !== 0 && c.afterSense && c.letters.response !== 'O') base = Math.max(base, intervalOf(p.hysteresis));
    return Math.max(upper, smoothedEscape(c, base));
  },
  trackingLimit(c: CycleInputs): number {
    const uri = intervalOf(c.params.url);
    const up = c.params.rateSmoothingUp;
    if (up === 0 || c.previousInterval === undefined || c.imposedInterval !== undefined) return uri;
    return Math.max(uri, Math.ceil((c.previousInterval * (100 - up)) / 100));
  },
  avDelays(c: CycleInputs): { pav: number; sav: number } {
    const p = c.params;
    let pav = p.avDelay;
    if (p.dynamicAv && c.previousInterval !== undefined) {
      const scaled = Math.round((p.avDelay * c.previousInterval) / intervalOf(p.lrl));
      pav = Math.min(p.avDelay, Math.max(p.minDynamicAv, scaled));
    }
    return { pav, sav: Math.max(30, pav + p.sensedAvOffset) };
  },
  refractory(c: CycleInputs, extendedPvarp: number): { vrp: number; arp: number; pvarp: number } {
    return { vrp: c.params.vrp, arp: c.params.arp, pvarp: Math.max(c.params.pvarp, extendedPvarp) };
  },
  senseResets(letters: ModeLetters): boolean {
    return letters.response !== 'O';
  },
  magnetRate(battery: BatteryLevel): number {
    return battery === 'BOL' ? 100 : battery === 'ERN' ? 90 : 85;
  },
  noiseWindowMs: 125,
  triggerDelayMs: 1,
  minPaceGapMs: RUNAWAY_MIN_INTERVAL_MS,
  pmtCycles: 8,
  pmtVaMs: 450,
  pmtPvarpMs: 500,
  atrOnsetCount: 8,
});
