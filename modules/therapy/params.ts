// The programmable parameters (PACEMAKER spec Appendix A, Table 7) as integers in fixed units,
// with their grids, nominals, and the spec's fixed POR and Pace-Now sets (§3.6.3, §3.6.5).
import type { Mode } from './modes.js';

export const ACTIVITY_THRESHOLDS = Object.freeze(['V-Low', 'Low', 'Med-Low', 'Med', 'Med-High', 'High', 'V-High'] as const);
export type ActivityThreshold = (typeof ACTIVITY_THRESHOLDS)[number];

/** One parameter set. Units: rates ppm, times ms, amplitudes mV, pulse widths µs, sensitivities µV. 0 means Off where the grid has Off. */
export interface PacingParameters {
  mode: Mode;
  lrl: number;
  url: number;
  msr: number;
  avDelay: number;
  dynamicAv: boolean;
  minDynamicAv: number;
  sensedAvOffset: number;
  aAmplitude: number;
  vAmplitude: number;
  aPulseWidth: number;
  vPulseWidth: number;
  aSensitivity: number;
  vSensitivity: number;
  vrp: number;
  arp: number;
  pvarp: number;
  pvarpExtension: number;
  hysteresis: number;
  rateSmoothingUp: number;
  rateSmoothingDown: number;
  atrMode: boolean;
  atrDuration: number;
  atrFallback: number;
  vBlanking: number;
  activityThreshold: ActivityThreshold;
  reactionTime: number;
  responseFactor: number;
  recoveryTime: number;
  /** Not in Table 7: §3.7 says the magnet response "can be programmed Off". */
  magnetResponse: boolean;
  /** Not in Table 7: PMT termination (one-cycle PVARP of 500 ms after 8 suspect cycles), as in Jiang's ELT model. */
  pmtProtection: boolean;
  /**
   * Not in the 2007 spec: ventricular safety pacing (a V sense within 110 ms of an atrial pace
   * gives a V pace at 110 ms instead of inhibiting), as in real dual-chamber devices; docs/therapy.md.
   */
  ventricularSafetyPacing: boolean;
}

export type ParameterName = keyof PacingParameters;

/** An inclusive range on a step: [min, max, step]. */
export type Span = readonly [number, number, number];

export type ParameterSpec =
  | { readonly kind: 'grid'; readonly spans: readonly Span[]; readonly off?: number; readonly unit: string }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] };

/** Frozen spans: module-scope data is preloaded into flash on the device. */
const spans = (...list: Span[]): readonly Span[] => Object.freeze(list.map((s) => Object.freeze(s) as Span));

const LRL_SPANS = spans([30, 50, 5], [50, 90, 1], [90, 175, 5]);
const AMPLITUDE_SPANS = spans([500, 3200, 100], [3500, 7000, 500]);
const PULSE_WIDTH_SPANS = spans([50, 50, 1], [100, 1900, 100]);
const SENSITIVITY_SPANS = spans([250, 750, 250], [1000, 10000, 500]);
const REFRACTORY_SPANS = spans([150, 500, 10]);
const RATE_SMOOTHING_SPANS = spans([3, 21, 3], [25, 25, 1]);

const grid = (unit: string, list: readonly Span[], off?: number): ParameterSpec =>
  Object.freeze(off === undefined ? { kind: 'grid', unit, spans: list } : { kind: 'grid', unit, spans: list, off });
const bool: ParameterSpec = Object.freeze({ kind: 'bool' });

/** Table 7, one entry per parameter (spec Appendix A). */
export const PARAMETER_TABLE: Readonly<Record<Exclude<ParameterName, 'mode'>, ParameterSpec>> = Object.freeze({
  lrl: grid('ppm', LRL_SPANS),
  url: grid('ppm', spans([50, 175, 5])),
  msr: grid('ppm', spans([50, 175, 5])),
  avDelay: grid('ms', spans([70, 300, 10])),
  dynamicAv: bool,
  minDynamicAv: grid('ms', spans([30, 100, 10])),
  sensedAvOffset: grid('ms', spans([-100, -10, 10]), 0),
  aAmplitude: grid('mV', AMPLITUDE_SPANS, 0),
  vAmplitude: grid('mV', AMPLITUDE_SPANS, 0),
  aPulseWidth: grid('µs', PULSE_WIDTH_SPANS),
  vPulseWidth: grid('µs', PULSE_WIDTH_SPANS),
  aSensitivity: grid('µV', SENSITIVITY_SPANS),
  vSensitivity: grid('µV', SENSITIVITY_SPANS),
  vrp: grid('ms', REFRACTORY_SPANS),
  arp: grid('ms', REFRACTORY_SPANS),
  pvarp: grid('ms', REFRACTORY_SPANS),
  pvarpExtension: grid('ms', spans([50, 400, 50]), 0),
  hysteresis: grid('ppm', LRL_SPANS, 0),
  rateSmoothingUp: grid('%', RATE_SMOOTHING_SPANS, 0),
  rateSmoothingDown: grid('%', RATE_SMOOTHING_SPANS, 0),
  atrMode: bool,
  atrDuration: grid('cc', spans([10, 10, 1], [20, 80, 20], [100, 2000, 100])),
  atrFallback: grid('min', spans([1, 5, 1])),
  vBlanking: grid('ms', spans([30, 60, 10])),
  activityThreshold: Object.freeze({ kind: 'enum', values: ACTIVITY_THRESHOLDS }),
  reactionTime: grid('s', spans([10, 50, 10])),
  responseFactor: grid('', spans([1, 16, 1])),
  recoveryTime: grid('min', spans([2, 16, 1])),
  magnetResponse: bool,
  pmtProtection: bool,
  ventricularSafetyPacing: bool,
});

/** Factory state: the Table 7 nominals. */
export const NOMINAL: Readonly<PacingParameters> = Object.freeze({
  mode: 'DDD',
  lrl: 60,
  url: 120,
  msr: 120,
  avDelay: 150,
  dynamicAv: false,
  minDynamicAv: 50,
  sensedAvOffset: 0,
  aAmplitude: 3500,
  vAmplitude: 3500,
  aPulseWidth: 400,
  vPulseWidth: 400,
  aSensitivity: 750,
  vSensitivity: 2500,
  vrp: 320,
  arp: 250,
  pvarp: 250,
  pvarpExtension: 0,
  hysteresis: 0,
  rateSmoothingUp: 0,
  rateSmoothingDown: 0,
  atrMode: false,
  atrDuration: 20,
  atrFallback: 1,
  vBlanking: 40,
  activityThreshold: 'Med',
  reactionTime: 30,
  responseFactor: 8,
  recoveryTime: 5,
  magnetResponse: true,
  pmtProtection: true,
  ventricularSafetyPacing: true,
});

/** Power-on-reset parameters (§3.6.5): VVI 65 ppm, 5.0 V, 0.5 ms, VRP 320 ms, 1.5 mV. Also the safe-mode set. */
export const POR: Readonly<PacingParameters> = Object.freeze({
  ...NOMINAL,
  mode: 'VVI',
  lrl: 65,
  vAmplitude: 5000,
  vPulseWidth: 500,
  vrp: 320,
  vSensitivity: 1500,
});

/** Pace-Now parameters (§3.6.3): as POR but with a 1.0 ms pulse. */
export const PACE_NOW: Readonly<PacingParameters> = Object.freeze({ ...POR, vPulseWidth: 1000 });

export function onGrid(spec: Extract<ParameterSpec, { kind: 'grid' }>, value: number): boolean {
  if (!Number.isInteger(value)) return false;
  if (spec.off !== undefined && value === spec.off) return true;
  return spec.spans.some(([min, max, step]) => value >= min && value <= max && (value - min) % step === 0);
}
