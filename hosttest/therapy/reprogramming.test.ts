// Closed loop with the device being handled during the run: random reprogramming (mode, rates,
// hysteresis, smoothing, dynamic AV, PVARP extension, ATR), magnet on and off, Pace-Now and
// activity changes at random times, on random scenarios. Every property must hold throughout.
import assert from 'node:assert/strict';
import type { Marker } from '../../modules/therapy/markers.js';
import { PROGRAMMABLE_MODES } from '../../modules/therapy/modes.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { checkTrace } from '../../host/heart/checker.js';
import { loadScenario, SCENARIO_NAMES } from '../../host/heart/closed-loop.js';
import { VirtualHeart } from '../../host/heart/heart.js';
import type { TimedEvent } from '../../host/heart/scenario.js';
import { Prng } from '../../host/lib/prng.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

const RUNS = 150;
const MINUTES = 10;

function randomChanges(rng: Prng): Partial<PacingParameters> {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];
  const changes: Partial<PacingParameters> = { mode: pick(PROGRAMMABLE_MODES.slice(1)) };
  if (rng.next() < 0.5) changes.lrl = pick([40, 50, 60, 70, 80, 90]);
  if (rng.next() < 0.3) changes.hysteresis = pick([0, 35, 45]);
  if (rng.next() < 0.3) changes.rateSmoothingDown = pick([0, 6, 12]);
  if (rng.next() < 0.3) changes.rateSmoothingUp = pick([0, 6, 12]);
  if (rng.next() < 0.3) changes.dynamicAv = rng.next() < 0.5;
  if (rng.next() < 0.3) changes.sensedAvOffset = pick([0, -30]);
  if (rng.next() < 0.3) changes.pvarpExtension = pick([0, 100]);
  if (rng.next() < 0.3) changes.atrMode = rng.next() < 0.5;
  return changes;
}

function run(seed: number) {
  const rng = new Prng(seed);
  const scenario = { ...loadScenario(SCENARIO_NAMES[rng.int(0, SCENARIO_NAMES.length - 1)]), events: [] };
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const heart = new VirtualHeart(scenario, clock, seed);
  const therapy = new Therapy(clock, { pace: (c) => heart.pace(c), marker: (t, type) => markers.push({ t, type }) });
  const programs: PacingParameters[] = [];
  const inputs: TimedEvent[] = [];
  const log: string[] = [];
  let paceNows = 0;
  const program = (): void => {
    if (!therapy.program('permanent', randomChanges(rng)).ok) return;
    // A set replaced before its boundary never applies: the checker must expect only the last.
    const applied = markers.filter((m) => m.type === 'PRM').length - paceNows;
    if (programs.length > applied) programs.pop();
    programs.push(therapy.interrogate().permanent);
    log.push(`${clock.now()} ${therapy.interrogate().permanent.mode}`);
  };
  program();
  heart.start((c) => therapy.sense(c));
  for (let i = 0; i < 6; i++) {
    const what = rng.int(0, 3);
    clock.setTimeout(() => {
      if (what === 0) program();
      else if (what === 1) {
        const present = rng.next() < 0.6;
        inputs.push({ atMs: clock.now(), type: 'magnet', present });
        therapy.setMagnet(present);
        log.push(`${clock.now()} magnet ${present}`);
      } else if (what === 2) {
        if (therapy.paceNow().ok) paceNows++;
        log.push(`${clock.now()} pace-now`);
      } else therapy.setActivity(rng.int(0, 8));
    }, rng.int(1000, MINUTES * 60000 - 10000));
  }
  clock.runUntil(MINUTES * 60000);
  const verdict = checkTrace(markers, { programs, endMs: MINUTES * 60000, toleranceMs: 1, inputs, episodes: scenario.episodes, truth: heart.truth });
  return { scenario: scenario.name, log, verdict };
}

describe('therapy closed loop: handled during the run', () => {
  it(`${RUNS} random runs of ${MINUTES} minutes with reprogramming, magnet and Pace-Now keep every property`, () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const r = run(seed);
      assert.deepEqual(r.verdict.violations, [], `seed ${seed}, ${r.scenario}: ${r.log.join('; ')}`);
    }
  });
});
