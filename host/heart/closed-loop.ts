// Closed loop on the virtual clock: the therapy service paces a virtual heart, the scenario's
// timed events (magnet, battery, activity, Pace-Now) reach it as they would from the inputs and
// the programmer, and the trace checker judges the marker stream.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Marker } from '../../modules/therapy/markers.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { TimingRules } from '../../modules/therapy/rules.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { applyChanges } from '../../modules/therapy/validate.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { checkTrace } from './checker.js';
import type { CheckResult } from './checker.js';
import { VirtualHeart } from './heart.js';
import { parseScenario } from './scenario.js';
import type { Scenario } from './scenario.js';

export const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** The scenarios shipped in host/heart/scenarios/, by name. */
export const SCENARIO_NAMES = Object.freeze([
  'normal-sinus', 'sinus-bradycardia', 'sinus-arrest', 'av-block-2to1', 'complete-av-block', 'long-pr',
  'pvc-retrograde', 'pacs', 'atrial-flutter', 'atrial-fibrillation', 'sinus-above-url', 'noise-bursts', 'lead-off',
  'magnet', 'exercise',
]);

export function loadScenario(nameOrPath: string): Scenario {
  const path = SCENARIO_NAMES.includes(nameOrPath) ? `${SCENARIO_DIR}${nameOrPath}.json` : nameOrPath;
  return parseScenario(JSON.parse(readFileSync(path, 'utf8')));
}

export interface LoopOptions {
  scenario: Scenario;
  mode: Mode;
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
}

export class ProgrammingError extends Error {
  constructor(readonly parameter: string, message: string) {
    super(message);
    this.name = 'ProgrammingError';
  }
}

/** The parameter set a run programs: nominals, then the scenario's params, then `set`, then the mode. */
export function runParameters(scenario: Scenario, mode: Mode, set: Partial<PacingParameters> = {}): PacingParameters {
  const checked = applyChanges(NOMINAL, { ...scenario.params, ...set, mode });
  if (!checked.ok) throw new ProgrammingError(checked.error.parameter, `${checked.error.parameter}: ${checked.error.message}`);
  return checked.params;
}

export function runClosedLoop(options: LoopOptions): LoopResult {
  const { scenario, minutes, seed } = options;
  const params = runParameters(scenario, options.mode, options.set);
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const heart = new VirtualHeart(scenario, clock, seed);
  const therapy = new Therapy(clock, {
    pace: (chamber) => heart.pace(chamber),
    marker: (t, type) => markers.push({ t, type }),
  }, { rules: options.rules });
  const programmed = therapy.program('permanent', params);
  if (!programmed.ok) throw new ProgrammingError(programmed.error.parameter ?? '', programmed.error.message);
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
    programs: [params],
    endMs,
    toleranceMs: options.toleranceMs ?? 1,
    inputs: scenario.events,
  });
  return { ...verdict, params, markers };
}
