// Deliberately broken engines: each overrides one timing rule, and each must be caught by the
// trace checker on the scenario that exercises that rule (broken-variants.test.ts).
import type { Mode } from '../../modules/therapy/modes.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { SPEC_RULES } from '../../modules/therapy/rules.js';
import type { CycleInputs, TimingRules } from '../../modules/therapy/rules.js';
import { intervalOf } from '../../modules/therapy/intervals.js';
import type { Property } from '../../host/heart/checker.js';

export interface BrokenVariant {
  name: string;
  rules: TimingRules;
  scenario: string;
  mode: Mode;
  set?: Partial<PacingParameters>;
  /** The property whose violation proves the checker noticed. */
  caughtBy: Property;
}

const broken = (change: Partial<TimingRules>): TimingRules => Object.freeze({ ...SPEC_RULES, ...change });
const noSmoothing = (c: CycleInputs): CycleInputs => ({ ...c, params: { ...c.params, rateSmoothingDown: 0, rateSmoothingUp: 0 } });

/** The escape rule before issue 11: hysteresis after any non-O sense, even over the sensor rate. */
function escapeBeforeIssue11(c: CycleInputs): number {
  const p = c.params;
  let base = Math.min(c.lowerInterval, c.sensorInterval ?? Infinity);
  if (p.hysteresis !== 0 && c.afterSense && c.letters.response !== 'O') base = Math.max(base, intervalOf(p.hysteresis));
  return SPEC_RULES.escape({ ...c, params: { ...p, hysteresis: 0 }, lowerInterval: base, sensorInterval: undefined });
}

export const BROKEN_VARIANTS: readonly BrokenVariant[] = [
  { name: 'escape interval 25 ms late', rules: broken({ escape: (c) => SPEC_RULES.escape(c) + 25 }), scenario: 'sinus-bradycardia', mode: 'VVI', caughtBy: 'lower-rate' },
  { name: 'tracking ignores the URL', rules: broken({ trackingLimit: () => 0 }), scenario: 'sinus-above-url', mode: 'DDD', caughtBy: 'upper-rate' },
  { name: 'paced AV delay 30 ms short', rules: broken({ avDelays: (c) => { const d = SPEC_RULES.avDelays(c); return { pav: d.pav - 30, sav: d.sav }; } }), scenario: 'lead-off', mode: 'DDD', caughtBy: 'av-interval' },
  { name: 'no VRP', rules: broken({ refractory: (c, x) => ({ ...SPEC_RULES.refractory(c, x), vrp: 0 }) }), scenario: 'atrial-fibrillation', mode: 'DDD', caughtBy: 'refractory' },
  { name: 'no PVARP', rules: broken({ refractory: (c, x) => ({ ...SPEC_RULES.refractory(c, x), pvarp: 0 }) }), scenario: 'sinus-above-url', mode: 'DDD', caughtBy: 'refractory' },
  { name: 'PVARP extension announced but not applied', rules: broken({ refractory: (c) => SPEC_RULES.refractory(c, 0) }), scenario: 'pvc-retrograde', mode: 'DDD', caughtBy: 'pvarp-extension' },
  { name: 'PMT never detected', rules: broken({ pmtCycles: Infinity }), scenario: 'pvc-retrograde', mode: 'DDD', set: { pvarpExtension: 0 }, caughtBy: 'pmt' },
  { name: 'ATR never starts', rules: broken({ atrOnsetCount: Infinity }), scenario: 'atrial-flutter', mode: 'DDD', caughtBy: 'mode-switch' },
  { name: 'rate smoothing ignored', rules: broken({ escape: (c) => SPEC_RULES.escape(noSmoothing(c)), trackingLimit: (c) => SPEC_RULES.trackingLimit(noSmoothing(c)) }), scenario: 'sinus-arrest', mode: 'DDD', set: { rateSmoothingDown: 12, rateSmoothingUp: 12 }, caughtBy: 'rate-smoothing' },
  { name: 'senses do not inhibit', rules: broken({ senseResets: () => false }), scenario: 'normal-sinus', mode: 'AAI', caughtBy: 'mode-semantics' },
  { name: 'magnet rate 110 ppm', rules: broken({ magnetRate: () => 110 }), scenario: 'magnet', mode: 'DDD', caughtBy: 'magnet' },
  { name: 'no noise detection', rules: broken({ noiseIntervalMs: 0 }), scenario: 'noise-bursts', mode: 'VVI', caughtBy: 'noise' },
  { name: 'triggered pace 20 ms late', rules: broken({ triggerDelayMs: 20 }), scenario: 'pacs', mode: 'VVT', caughtBy: 'mode-semantics' },
  // Issue 11: each reproduces one defect of the engine before it.
  { name: 'noise detector blind past 125 ms (the old window)', rules: broken({ noiseIntervalMs: 125 }), scenario: 'noise-sweep-v', mode: 'DDD', caughtBy: 'noise' },
  { name: 'ATR falls back to VVI, not VVIR', rules: broken({ fallbackMode: () => 'VVI' }), scenario: 'exercise-af', mode: 'DDD', caughtBy: 'rate-adaptive' },
  { name: 'ATR fallback rate imposed without smoothing', rules: broken({ escape: (c) => (c.atrFallback ? Math.min(c.lowerInterval, c.sensorInterval ?? Infinity) : SPEC_RULES.escape(c)) }), scenario: 'af-converts', mode: 'DDD', set: { rateSmoothingDown: 12, rateSmoothingUp: 12 }, caughtBy: 'rate-smoothing' },
  { name: 'ATR deaf to atrial silence', rules: broken({ atrSilenceFactor: Infinity }), scenario: 'at-standstill', mode: 'DDD', caughtBy: 'mode-switch' },
  { name: 'hysteresis over the sensor rate (the old rule)', rules: broken({ escape: escapeBeforeIssue11 }), scenario: 'hysteresis-exercise', mode: 'VVIR', caughtBy: 'hysteresis' },
  { name: 'slow PMT unnoticed (VA criterion 400 ms)', rules: broken({ pmtVaMs: 400 }), scenario: 'slow-pmt', mode: 'DDD', caughtBy: 'pmt' },
  { name: 'refractory atrial senses reset PMT detection (the old rule)', rules: broken({ pmtRefractoryResets: true }), scenario: 'pmt-refractory-pacs', mode: 'DDD', caughtBy: 'pmt' },
  { name: 'no ventricular safety pacing', rules: broken({ vspWindowMs: 0 }), scenario: 'crosstalk', mode: 'DDD', caughtBy: 'safety-pacing' },
  { name: 'hysteresis ignored', rules: broken({ escape: (c) => SPEC_RULES.escape({ ...c, params: { ...c.params, hysteresis: 0 } }) }), scenario: 'sinus-bradycardia', mode: 'VVI', set: { hysteresis: 35, lrl: 45 }, caughtBy: 'mode-semantics' },
];
