// Parameter validation: every value on its Table 7 grid, then the interactive limits between
// parameters (spec §4.9.2 asks that they be indicated; the limits themselves are derived, see
// docs/therapy.md). A rejected set names the first offending parameter and changes nothing.
// @req SAF-03 (docs/traceability.md)
import { intervalOf } from './intervals.js';
import { isMode, lettersOf, pacesAtrium, pacesVentricle, tracks } from './modes.js';
import { NOMINAL, onGrid, PARAMETER_TABLE } from './params.js';
import type { PacingParameters, ParameterName } from './params.js';

export type ParameterErrorCode = 'not-an-object' | 'unknown-parameter' | 'type' | 'range' | 'conflict';

export interface ParameterError {
  readonly code: ParameterErrorCode;
  /** The offending parameter ('' when the input is not an object at all). */
  readonly parameter: string;
  readonly message: string;
}

export type Validation = { ok: true; params: PacingParameters } | { ok: false; error: ParameterError };

const fail = (code: ParameterErrorCode, parameter: string, message: string): Validation =>
  ({ ok: false, error: { code, parameter, message } });

export function isParameterName(name: string): name is ParameterName {
  return Object.prototype.hasOwnProperty.call(NOMINAL, name);
}

/** Checks one value against its grid; returns null when it is programmable. */
export function checkValue(name: ParameterName, value: unknown): ParameterError | null {
  if (name === 'mode') return isMode(value) ? null : { code: 'range', parameter: name, message: `unknown mode ${String(value)}` };
  const spec = PARAMETER_TABLE[name];
  if (spec.kind === 'bool') return typeof value === 'boolean' ? null : { code: 'type', parameter: name, message: 'expected true or false' };
  if (spec.kind === 'enum') {
    return typeof value === 'string' && spec.values.includes(value) ? null
      : { code: 'range', parameter: name, message: `expected one of ${spec.values.join(', ')}` };
  }
  if (typeof value !== 'number') return { code: 'type', parameter: name, message: 'expected an integer' };
  return onGrid(spec, value) ? null : { code: 'range', parameter: name, message: `${value} ${spec.unit} is not on the programmable grid` };
}

/** The interactive limits between parameters, in the order they are checked. */
export function checkLimits(p: Readonly<PacingParameters>): ParameterError | null {
  const letters = lettersOf(p.mode);
  const lri = intervalOf(p.lrl);
  const conflict = (parameter: ParameterName, message: string): ParameterError => ({ code: 'conflict', parameter, message });
  if (p.url <= p.lrl) return conflict('url', 'URL must be above LRL');
  if (p.msr < p.lrl) return conflict('msr', 'MSR must be at least LRL');
  if (p.hysteresis !== 0 && p.hysteresis >= p.lrl) return conflict('hysteresis', 'the hysteresis rate must be below LRL');
  if (tracks(letters) && p.avDelay + p.pvarp >= intervalOf(p.url)) {
    return conflict('pvarp', 'AV delay + PVARP must be shorter than the upper rate interval when tracking');
  }
  if (p.dynamicAv && p.minDynamicAv >= p.avDelay) return conflict('minDynamicAv', 'the minimum dynamic AV delay must be below the AV delay');
  if (p.dynamicAv && p.minDynamicAv <= p.vBlanking) return conflict('minDynamicAv', 'the minimum dynamic AV delay must outlast ventricular blanking');
  if (p.avDelay + p.sensedAvOffset < 30) return conflict('sensedAvOffset', 'the sensed AV delay would be below 30 ms');
  if (p.vrp >= lri) return conflict('vrp', 'VRP must be shorter than the lower rate interval');
  if (p.arp >= lri) return conflict('arp', 'ARP must be shorter than the lower rate interval');
  if (p.pvarp + p.pvarpExtension >= lri) return conflict('pvarpExtension', 'the extended PVARP must be shorter than the lower rate interval');
  if (pacesAtrium(letters) && p.aAmplitude === 0) return conflict('aAmplitude', 'the mode paces the atrium but its amplitude is Off');
  if (pacesVentricle(letters) && p.vAmplitude === 0) return conflict('vAmplitude', 'the mode paces the ventricle but its amplitude is Off');
  return null;
}

/** Validates a complete parameter set (every key present, nothing else). */
export function validateParameters(input: unknown): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('not-an-object', '', 'parameters must be an object');
  return applyChanges(NOMINAL, input, true);
}

/**
 * Returns `base` with `changes` applied, if the result is valid. `base` is never modified.
 * With `complete`, every parameter must be given.
 */
export function applyChanges(base: Readonly<PacingParameters>, changes: unknown, complete = false): Validation {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return fail('not-an-object', '', 'changes must be an object');
  const next: PacingParameters = { ...base };
  const record = changes as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (!isParameterName(name)) return fail('unknown-parameter', name, `no parameter named ${name}`);
    const error = checkValue(name, record[name]);
    if (error) return { ok: false, error };
    (next as unknown as Record<string, unknown>)[name] = record[name];
  }
  if (complete) {
    for (const name of Object.keys(NOMINAL)) if (!(name in record)) return fail('type', name, 'missing');
  }
  const error = checkLimits(next);
  return error ? { ok: false, error } : { ok: true, params: next };
}
