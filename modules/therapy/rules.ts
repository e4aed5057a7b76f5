// The timing rules of one cardiac cycle as pure functions. The engine takes them as one frozen
// object so that tests can build deliberately broken variants and prove the trace checker
// catches each (hosttest/therapy/broken-variants.ts); the device always uses SPEC_RULES.
import { intervalOf, RUNAWAY_MIN_INTERVAL_MS } from './intervals.js';
import { inhibits } from './modes.js';
import type { Mode, ModeLetters } from './modes.js';
import type { PacingParameters } from './params.js';
import type { PmtRules } from './pmt.js';

export type BatteryLevel = 'BOL' | 'ERN' | 'ERT' | 'ERP';

/** What the rules know about the cycle that starts at a boundary event. */
export interface CycleInputs {
  /** The set in force, with every feature that does not apply to `letters` off (applicability.ts). */
  readonly params: Readonly<PacingParameters>;
  readonly letters: ModeLetters;
  /** The boundary event was a non-refractory sense (hysteresis applies after it, §5.8). */
  readonly afterSense: boolean;
  /** The previous boundary-to-boundary interval, when known and not ended by a PVC. */
  readonly previousInterval: number | undefined;
  /** Sensor-indicated interval in rate-adaptive modes (§5.7). */
  readonly sensorInterval: number | undefined;
  /**
   * The lower-rate interval in force: the LRI; at ERP lengthened as the rate declines (§4.4);
   * in ATR fallback the ramp from the tachycardia's rate down to the LRL (§5.6.3).
   */
  readonly lowerInterval: number;
  /** The cycle runs in ATR fallback (§5.6.3). */
  readonly atrFallback: boolean;
  /** The magnet rate's interval (§3.7): exact, no hysteresis or smoothing. */
  readonly imposedInterval: number | undefined;
}

/** Why the escape interval is what it is: the marker modifiers of §4.8 (-Hy, -Sr, ↓). */
export type EscapeBasis = 'lower' | 'hysteresis' | 'sensor' | 'smoothing' | 'imposed';

export interface TimingRules extends PmtRules {
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
  /** The non-tracking mode ATR falls back to (§5.6.3: VVIR). */
  fallbackMode(programmed: ModeLetters): Mode;
  /** A pulse this soon after the previous one on its lead is noise (§5.5; 240/min, noise.ts). */
  readonly noiseIntervalMs: number;
  /** Delay from a sense to its triggered pace in T modes. */
  readonly triggerDelayMs: number;
  /** Hard floor between two paces in one chamber (205 ppm runaway cap). */
  readonly minPaceGapMs: number;
  /** PVARP used for one cycle to break a PMT (Jiang's ELT model). */
  readonly pmtPvarpMs: number;
  /** Net fast atrial intervals that declare atrial tachycardia (ATR onset, §5.6). */
  readonly atrOnsetCount: number;
  /** Atrial silence longer than this many upper rate intervals counts as a slow interval (atr.ts). */
  readonly atrSilenceFactor: number;
  /** Ventricular safety pacing window after an atrial pace (110 ms, docs/therapy.md). */
  readonly vspWindowMs: number;
  /** At ERP the lower rate falls by this fraction of the LRL ... */
  readonly erpRateDecline: number;
  /** ... evenly over this time from reaching ERP (§4.4, Table 3: "the pacing rate gradually decreases"). */
  readonly erpDeclineMs: number;
}

/** The escape interval before the URL floor, and what set it. */
export function escapeBasis(c: CycleInputs): { ms: number; basis: EscapeBasis } {
  if (c.imposedInterval !== undefined) return { ms: c.imposedInterval, basis: 'imposed' };
  const p = c.params;
  const driven = Math.min(c.lowerInterval, c.sensorInterval ?? Infinity);
  let ms = driven;
  let basis: EscapeBasis = driven < c.lowerInterval ? 'sensor' : 'lower';
  // §5.8: only in inhibiting and tracking modes, and never below the sensor-indicated (or any
  // other driven) rate: hysteresis applies only while nothing drives the rate above the LRL.
  if (p.hysteresis !== 0 && c.afterSense && inhibits(c.letters) && driven >= intervalOf(p.lrl)) {
    ms = Math.max(ms, intervalOf(p.hysteresis));
    basis = 'hysteresis';
  }
  // §5.9: the interval may grow by at most the Down percentage of the previous one.
  if (p.rateSmoothingDown !== 0 && c.previousInterval !== undefined) {
    const limit = Math.floor((c.previousInterval * (100 + p.rateSmoothingDown)) / 100);
    if (limit < ms) return { ms: limit, basis: 'smoothing' };
  }
  return { ms, basis };
}

export const SPEC_RULES: TimingRules = Object.freeze({
  escape(c: CycleInputs): number {
    const p = c.params;
    const upper = Math.min(intervalOf(p.url), c.letters.rateAdaptive ? intervalOf(p.msr) : Infinity);
    if (c.imposedInterval !== undefined) return c.imposedInterval;
    return Math.max(upper, escapeBasis(c).ms);
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
  fallbackMode(): Mode {
    return 'VVIR';
  },
  noiseIntervalMs: 250,
  triggerDelayMs: 1,
  minPaceGapMs: RUNAWAY_MIN_INTERVAL_MS,
  pmtCycles: 8,
  pmtVaMs: 450,
  pmtStabilityMs: 20,
  pmtRefractoryResets: false,
  pmtPvarpMs: 500,
  atrOnsetCount: 8,
  atrSilenceFactor: 1,
  vspWindowMs: 110,
  erpRateDecline: 0.1,
  erpDeclineMs: 10 * 60000,
});
