// Heart scenarios: the JSON format read by the virtual heart and `implant heart --scenario`.
// docs/therapy.md describes every field; parseScenario rejects anything else with the field named.
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { BatteryLevel } from '../../modules/therapy/rules.js';

export type AtrialRhythm =
  | { kind: 'sinus'; rateBpm: number; jitterMs: number }
  | { kind: 'flutter'; cycleMs: number }
  | { kind: 'fibrillation'; minMs: number; maxMs: number }
  | { kind: 'none' };

export interface Conduction {
  /** Antegrade AV conduction time (the first of a Wenckebach group). */
  prMs: number;
  /** Each conducted beat's PR varies by up to this much either way. */
  prJitterMs: number;
  block: 'none' | '2:1' | 'complete' | 'wenckebach';
  /** Mobitz I: `beats` conducted with the PR growing by incrementMs, incrementMs/2, …, then one blocked. */
  wenckebach: { beats: number; incrementMs: number } | null;
  /** The AV node conducts nothing else for this long after it conducts (either way). */
  nodeRefractoryMs: number;
  /** Retrograde VA conduction time after a ventricular activation, or null when there is none. */
  retrogradeVaMs: number | null;
}

export type Episode =
  | { fromMs: number; toMs: number; type: 'sinus-arrest' }
  | { fromMs: number; toMs: number; type: 'noise'; chamber: 'A' | 'V'; intervalMs: number }
  | { fromMs: number; toMs: number; type: 'rhythm'; atrium: AtrialRhythm }
  | { fromMs: number; toMs: number; type: 'lead-off'; chamber: 'A' | 'V' | 'both' };

export type TimedEvent =
  | { atMs: number; type: 'magnet'; present: boolean }
  | { atMs: number; type: 'battery'; level: BatteryLevel }
  | { atMs: number; type: 'activity'; level: number }
  | { atMs: number; type: 'pace-now' };

export interface Scenario {
  name: string;
  description: string;
  atrium: AtrialRhythm;
  conduction: Conduction;
  /** Ventricular escape rhythm (junctional or idioventricular), or null. */
  escapeBpm: number | null;
  atrialRefractoryMs: number;
  ventricularRefractoryMs: number;
  /** Premature ventricular contractions after a ventricular activation. */
  pvc: { probability: number; couplingMs: number } | null;
  /** Premature atrial contractions after an atrial activation. */
  pac: { probability: number; couplingMs: number } | null;
  /** Far-field sensing of atrial pace artefacts on the ventricular lead, `delayMs` after the pace. */
  crosstalk: { probability: number; delayMs: number } | null;
  episodes: Episode[];
  events: TimedEvent[];
  /** Parameter changes the scenario needs on top of the nominals (e.g. ATR on); `--set` overrides them. */
  params: Partial<PacingParameters>;
}

export class ScenarioError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ScenarioError';
  }
}

type Json = Record<string, unknown>;

function obj(v: unknown, field: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ScenarioError(field, 'expected an object');
  return v as Json;
}

function only(o: Json, field: string, keys: string[]): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new ScenarioError(`${field}.${k}`, 'unknown field');
}

function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new ScenarioError(field, `expected a number in [${min}, ${max}]`);
  return v;
}

function str<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) throw new ScenarioError(field, `expected one of ${values.join(', ')}`);
  return v as T;
}

const HOUR = 3600_000;

function atrium(v: unknown, field = 'atrium'): AtrialRhythm {
  const o = obj(v, field);
  const kind = str(o.kind, `${field}.kind`, ['sinus', 'flutter', 'fibrillation', 'none'] as const);
  if (kind === 'sinus') {
    only(o, field, ['kind', 'rateBpm', 'jitterMs']);
    return { kind, rateBpm: num(o.rateBpm, `${field}.rateBpm`, 10, 250), jitterMs: num(o.jitterMs ?? 0, `${field}.jitterMs`, 0, 200) };
  }
  if (kind === 'flutter') {
    only(o, field, ['kind', 'cycleMs']);
    return { kind, cycleMs: num(o.cycleMs, `${field}.cycleMs`, 130, 400) };
  }
  if (kind === 'fibrillation') {
    only(o, field, ['kind', 'minMs', 'maxMs']);
    const minMs = num(o.minMs, `${field}.minMs`, 130, 400);
    return { kind, minMs, maxMs: num(o.maxMs, `${field}.maxMs`, minMs, 400) };
  }
  only(o, field, ['kind']);
  return { kind };
}

function wenckebach(c: Json, block: Conduction['block']): Conduction['wenckebach'] {
  if (block !== 'wenckebach') {
    if (c.wenckebach !== undefined && c.wenckebach !== null) throw new ScenarioError('conduction.wenckebach', 'only with block "wenckebach"');
    return null;
  }
  const w = obj(c.wenckebach, 'conduction.wenckebach');
  only(w, 'conduction.wenckebach', ['beats', 'incrementMs']);
  return { beats: Math.round(num(w.beats, 'conduction.wenckebach.beats', 1, 20)), incrementMs: num(w.incrementMs, 'conduction.wenckebach.incrementMs', 0, 300) };
}

function crosstalk(v: unknown): Scenario['crosstalk'] {
  if (v === null || v === undefined) return null;
  const o = obj(v, 'crosstalk');
  only(o, 'crosstalk', ['probability', 'delayMs']);
  return { probability: num(o.probability, 'crosstalk.probability', 0, 1), delayMs: num(o.delayMs, 'crosstalk.delayMs', 0, 150) };
}

function premature(v: unknown, field: string): { probability: number; couplingMs: number } | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, field);
  only(o, field, ['probability', 'couplingMs']);
  return { probability: num(o.probability, `${field}.probability`, 0, 1), couplingMs: num(o.couplingMs, `${field}.couplingMs`, 150, 2000) };
}

function episode(v: unknown, i: number): Episode {
  const field = `episodes[${i}]`;
  const o = obj(v, field);
  const type = str(o.type, `${field}.type`, ['sinus-arrest', 'noise', 'lead-off', 'rhythm'] as const);
  const fromMs = num(o.fromMs, `${field}.fromMs`, 0, 24 * HOUR);
  const toMs = num(o.toMs, `${field}.toMs`, fromMs, 24 * HOUR);
  if (type === 'sinus-arrest') {
    only(o, field, ['type', 'fromMs', 'toMs']);
    return { type, fromMs, toMs };
  }
  if (type === 'noise') {
    only(o, field, ['type', 'fromMs', 'toMs', 'chamber', 'intervalMs']);
    return { type, fromMs, toMs, chamber: str(o.chamber, `${field}.chamber`, ['A', 'V'] as const), intervalMs: num(o.intervalMs, `${field}.intervalMs`, 5, 250) };
  }
  if (type === 'rhythm') {
    only(o, field, ['type', 'fromMs', 'toMs', 'atrium']);
    return { type, fromMs, toMs, atrium: atrium(o.atrium, `${field}.atrium`) };
  }
  only(o, field, ['type', 'fromMs', 'toMs', 'chamber']);
  return { type, fromMs, toMs, chamber: str(o.chamber, `${field}.chamber`, ['A', 'V', 'both'] as const) };
}

function timedEvent(v: unknown, i: number): TimedEvent {
  const field = `events[${i}]`;
  const o = obj(v, field);
  const type = str(o.type, `${field}.type`, ['magnet', 'battery', 'activity', 'pace-now'] as const);
  const atMs = num(o.atMs, `${field}.atMs`, 0, 24 * HOUR);
  if (type === 'magnet') {
    only(o, field, ['type', 'atMs', 'present']);
    if (typeof o.present !== 'boolean') throw new ScenarioError(`${field}.present`, 'expected true or false');
    return { type, atMs, present: o.present };
  }
  if (type === 'battery') {
    only(o, field, ['type', 'atMs', 'level']);
    return { type, atMs, level: str(o.level, `${field}.level`, ['BOL', 'ERN', 'ERT', 'ERP'] as const) };
  }
  if (type === 'activity') {
    only(o, field, ['type', 'atMs', 'level']);
    return { type, atMs, level: Math.round(num(o.level, `${field}.level`, 0, 8)) };
  }
  only(o, field, ['type', 'atMs']);
  return { type, atMs };
}

/** Parses and checks a scenario (the parsed JSON value). */
export function parseScenario(value: unknown): Scenario {
  const o = obj(value, 'scenario');
  only(o, 'scenario', ['name', 'description', 'atrium', 'conduction', 'escapeBpm', 'atrialRefractoryMs', 'ventricularRefractoryMs', 'pvc', 'pac', 'crosstalk', 'episodes', 'events', 'params']);
  if (typeof o.name !== 'string' || !/^[a-z0-9-]{1,40}$/.test(o.name)) throw new ScenarioError('name', 'expected lower-case words joined by -');
  const rhythm = atrium(o.atrium);
  const c = obj(o.conduction, 'conduction');
  only(c, 'conduction', ['prMs', 'prJitterMs', 'block', 'wenckebach', 'nodeRefractoryMs', 'retrogradeVaMs']);
  const block = str(c.block, 'conduction.block', ['none', '2:1', 'complete', 'wenckebach'] as const);
  const episodes = o.episodes ?? [];
  const events = o.events ?? [];
  if (!Array.isArray(episodes)) throw new ScenarioError('episodes', 'expected an array');
  if (!Array.isArray(events)) throw new ScenarioError('events', 'expected an array');
  return {
    name: o.name,
    description: typeof o.description === 'string' ? o.description : '',
    atrium: rhythm,
    conduction: {
      prMs: num(c.prMs, 'conduction.prMs', 40, 600),
      prJitterMs: num(c.prJitterMs ?? 0, 'conduction.prJitterMs', 0, 200),
      block,
      wenckebach: wenckebach(c, block),
      nodeRefractoryMs: num(c.nodeRefractoryMs, 'conduction.nodeRefractoryMs', 100, 1000),
      retrogradeVaMs: c.retrogradeVaMs === null || c.retrogradeVaMs === undefined ? null : num(c.retrogradeVaMs, 'conduction.retrogradeVaMs', 50, 600),
    },
    escapeBpm: o.escapeBpm === null || o.escapeBpm === undefined ? null : num(o.escapeBpm, 'escapeBpm', 10, 80),
    atrialRefractoryMs: num(o.atrialRefractoryMs, 'atrialRefractoryMs', 50, 500),
    ventricularRefractoryMs: num(o.ventricularRefractoryMs, 'ventricularRefractoryMs', 100, 500),
    pvc: premature(o.pvc, 'pvc'),
    pac: premature(o.pac, 'pac'),
    crosstalk: crosstalk(o.crosstalk),
    episodes: episodes.map(episode),
    events: events.map(timedEvent),
    params: o.params === undefined ? {} : (obj(o.params, 'params') as Partial<PacingParameters>),
  };
}
