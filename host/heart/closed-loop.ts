// Closed loop on the virtual clock: the therapy service paces a virtual heart, the scenario's
// timed events (magnet, battery, activity, Pace-Now) reach it as they would from the inputs and
// the programmer, and the trace checker judges the marker stream with the heart's ground truth.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Marker } from '../../modules/therapy/markers.js';
import { isMode } from '../../modules/therapy/modes.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { TimingRules } from '../../modules/therapy/rules.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { applyChanges } from '../../modules/therapy/validate.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { checkTrace } from './checker.js';
import type { CheckResult } from './checker.js';
import { TEMPORARY_ONLY_MODES } from './checker/spec.js';
import type { SpecMode } from './checker/spec.js';
import { VirtualHeart } from './heart.js';
import type { HeartTruth } from './heart.js';
import { parseScenario } from './scenario.js';
import type { Scenario } from './scenario.js';

export const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** The scenarios shipped in host/heart/scenarios/, by name, sorted. */
export const SCENARIO_NAMES: readonly string[] = Object.freeze(readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort());

export function loadScenario(nameOrPath: string): Scenario {
  const path = SCENARIO_NAMES.includes(nameOrPath) ? `${SCENARIO_DIR}${nameOrPath}.json` : nameOrPath;
  return parseScenario(JSON.parse(readFileSync(path, 'utf8')));
}

export interface LoopOptions {
  scenario: Scenario;
  mode: Mode | SpecMode;
  /** Parameter changes on top of the nominals and the scenario's own. */
  set?: Partial<PacingParameters>;
  minutes: number;
  seed: number;
  /** Deliberately broken rules, for proving the checker (tests only). */
  rules?: TimingRules;
  toleranceMs?: number;
}

export interface LoopResult extends CheckResult {
  params: PacingParameters;
  markers: Marker[];
  truth: HeartTruth;
}

export class ProgrammingError extends Error {
  constructor(readonly parameter: string, message: string) {
    super(message);
    this.name = 'ProgrammingError';
  }
}

/** The engine does not accept a mode of the spec (reported by the matrix, never skipped silently). */
export class ModeNotAccepted extends ProgrammingError {
  constructor(readonly mode: string, reason: string) {
    super('mode', `${mode}: not accepted by the engine (${reason})`);
    this.name = 'ModeNotAccepted';
  }
}

/** The parameter set a run programs: nominals, then the scenario's params, then `set`, then the mode. */
export function runParameters(scenario: Scenario, mode: Mode | SpecMode, set: Partial<PacingParameters> = {}): PacingParameters {
  if (!isMode(mode)) throw new ModeNotAccepted(mode, 'not a mode the engine knows');
  const checked = applyChanges(NOMINAL, { ...scenario.params, ...set, mode });
  if (!checked.ok) {
    if (checked.error.parameter === 'mode') throw new ModeNotAccepted(mode, checked.error.message);
    throw new ProgrammingError(checked.error.parameter, `${checked.error.parameter}: ${checked.error.message}`);
  }
  return checked.params;
}

/** Temporary-only modes (§3.5) run as a temporary set over the permanent one, from this time on. */
const TEMPORARY_AT_MS = 5000;

export function runClosedLoop(options: LoopOptions): LoopResult {
  const { scenario, minutes, seed } = options;
  const temporary = (TEMPORARY_ONLY_MODES as readonly string[]).includes(options.mode);
  const params = runParameters(scenario, options.mode, options.set);
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const heart = new VirtualHeart(scenario, clock, seed);
  const therapy = new Therapy(clock, {
    pace: (chamber) => heart.pace(chamber),
    marker: (t, type) => markers.push({ t, type }),
  }, { rules: options.rules });
  const programs = temporary ? [{ ...params, mode: NOMINAL.mode }, params] : [params];
  const first = therapy.program('permanent', programs[0]);
  if (!first.ok) throw new ProgrammingError(first.error.parameter ?? '', first.error.message);
  if (temporary) {
    clock.setTimeout(() => {
      const r = therapy.program('temporary', params);
      if (!r.ok) throw new ModeNotAccepted(options.mode, r.error.message);
    }, TEMPORARY_AT_MS);
  }
  for (const e of scenario.events) {
    clock.setTimeout(() => {
      if (e.type === 'magnet') therapy.setMagnet(e.present);
      else if (e.type === 'battery') therapy.setBattery(e.level);
      else if (e.type === 'activity') therapy.setActivity(e.level);
      else therapy.paceNow();
    }, e.atMs);
  }
  heart.start((chamber) => therapy.sense(chamber));
  const endMs = Math.round(minutes * 60000);
  clock.runUntil(endMs);
  const verdict = checkTrace(markers, {
    programs,
    endMs,
    toleranceMs: options.toleranceMs ?? 1,
    inputs: scenario.events,
    episodes: scenario.episodes,
    truth: heart.truth,
  });
  return { ...verdict, params, markers, truth: heart.truth };
}
