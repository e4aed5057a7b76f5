// What the programming screen may offer: exactly the values on each parameter's grid in the
// therapy module's table (PACEMAKER spec Appendix A, Table 7), with readable names and units.
import { ALL_MODES, TEMPORARY_ONLY_MODES } from '../../../modules/therapy/modes.js';
import type { Mode } from '../../../modules/therapy/modes.js';
import { PARAMETER_TABLE } from '../../../modules/therapy/params.js';
import type { ParameterSpec } from '../../../modules/therapy/params.js';

export type ParameterValue = number | boolean | string;

export interface ParameterChoice {
  readonly name: string;
  readonly label: string;
  readonly unit: string;
  readonly values: readonly ParameterValue[];
}

const LABELS: Readonly<Record<string, string>> = Object.freeze({
  mode: 'Mode', lrl: 'Lower rate limit', url: 'Upper rate limit', msr: 'Maximum sensor rate', avDelay: 'AV delay',
  dynamicAv: 'Dynamic AV delay', minDynamicAv: 'Minimum dynamic AV delay', sensedAvOffset: 'Sensed AV offset',
  aAmplitude: 'Atrial amplitude', vAmplitude: 'Ventricular amplitude', aPulseWidth: 'Atrial pulse width',
  vPulseWidth: 'Ventricular pulse width', aSensitivity: 'Atrial sensitivity', vSensitivity: 'Ventricular sensitivity',
  vrp: 'Ventricular refractory period', arp: 'Atrial refractory period', pvarp: 'PVARP', pvarpExtension: 'PVARP extension',
  hysteresis: 'Hysteresis rate', rateSmoothingUp: 'Rate smoothing up', rateSmoothingDown: 'Rate smoothing down',
  atrMode: 'ATR mode', atrDuration: 'ATR duration', atrFallback: 'ATR fallback time', vBlanking: 'Ventricular blanking',
  activityThreshold: 'Activity threshold', reactionTime: 'Reaction time', responseFactor: 'Response factor',
  recoveryTime: 'Recovery time', magnetResponse: 'Magnet response', pmtProtection: 'PMT protection',
});

/** Modes the implant runs only as temporary programming (sensing only, no pacing). */
export function isTemporaryOnly(mode: unknown): boolean {
  return TEMPORARY_ONLY_MODES.includes(mode as Mode);
}

/** Every value on a grid, ascending, with Off (its code) first where the grid has one. */
export function gridValues(spec: ParameterSpec): ParameterValue[] {
  if (spec.kind === 'bool') return [true, false];
  if (spec.kind === 'enum') return spec.values.slice();
  const values = new Set<number>();
  for (const [min, max, step] of spec.spans) for (let v = min; v <= max; v += step) values.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  return spec.off === undefined ? sorted : [spec.off, ...sorted.filter((v) => v !== spec.off)];
}

export function parameterChoices(): ParameterChoice[] {
  const mode: ParameterChoice = { name: 'mode', label: LABELS.mode, unit: '', values: ALL_MODES.slice() };
  return [mode, ...Object.entries(PARAMETER_TABLE).map(([name, spec]) => ({
    name, label: LABELS[name] ?? name, unit: spec.kind === 'grid' ? spec.unit : '', values: gridValues(spec),
  }))];
}

/** A value as the screen shows it (Off for a grid's off code, amplitudes in volts). */
export function formatValue(name: string, value: ParameterValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  if (typeof value === 'string') return isTemporaryOnly(value) ? `${value} (temporary only)` : value;
  const spec = (PARAMETER_TABLE as Record<string, ParameterSpec>)[name];
  if (spec?.kind === 'grid' && spec.off === value && name !== 'lrl') return 'Off';
  if (spec?.kind === 'grid' && spec.unit === 'mV') return `${(value / 1000).toFixed(1)} V`;
  if (spec?.kind === 'grid' && spec.unit === 'µs') return `${(value / 1000).toFixed(2)} ms`;
  if (spec?.kind === 'grid' && spec.unit === 'µV') return `${(value / 1000).toFixed(2)} mV`;
  return spec?.kind === 'grid' && spec.unit ? `${value} ${spec.unit}` : String(value);
}
