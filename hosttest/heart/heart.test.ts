// The virtual heart expresses the hard cases on its own, with no pacemaker attached (or with
// paces given by hand): true Wenckebach, variable PR, crosstalk, AF that converts, AT into
// standstill, noise at any interval, slow retrograde conduction. Scenario files are all valid.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VirtualHeart } from '../../host/heart/heart.js';
import { loadScenario, SCENARIO_NAMES } from '../../host/heart/closed-loop.js';
import { parseScenario, ScenarioError } from '../../host/heart/scenario.js';
import type { Scenario } from '../../host/heart/scenario.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

function beat(scenario: Scenario, ms: number, paces: { t: number; chamber: 'A' | 'V' }[] = [], seed = 3): VirtualHeart {
  const clock = new VirtualClock(0);
  const heart = new VirtualHeart(scenario, clock, seed);
  for (const p of paces) clock.setTimeout(() => heart.pace(p.chamber), p.t);
  heart.start(() => {});
  clock.runUntil(ms);
  return heart;
}

/** PR of every conducted beat, and how many P waves were blocked, from the heart's own record. */
function conduction(heart: VirtualHeart): { prs: number[]; blocked: number } {
  const prs: number[] = [];
  let blocked = 0;
  let lastP: number | undefined;
  for (const a of heart.truth.activations) {
    if (a.chamber === 'A') {
      if (lastP !== undefined) blocked++;
      lastP = a.t;
    } else if (a.source === 'conducted' && lastP !== undefined) {
      prs.push(a.t - lastP);
      lastP = undefined;
    }
  }
  return { prs, blocked };
}

describe('virtual heart', () => {
  it('Mobitz I: the PR grows by shrinking steps over four beats, then one P is blocked', () => {
    const { prs, blocked } = conduction(beat(loadScenario('wenckebach'), 60000));
    assert.deepEqual(prs.slice(0, 8), [200, 290, 335, 365, 200, 290, 335, 365]);
    assert.ok(blocked >= 12 && blocked <= 16, `blocked ${blocked}`);
  });

  it('variable PR straddles the 150 ms AV delay, within the scenario bounds', () => {
    const { prs } = conduction(beat(loadScenario('variable-pr'), 120000));
    assert.ok(Math.min(...prs) >= 140 && Math.max(...prs) <= 300);
    assert.ok(prs.some((pr) => pr < 150) && prs.some((pr) => pr > 280), `PR ${Math.min(...prs)}–${Math.max(...prs)}`);
  });

  it('crosstalk: an atrial pace artefact reaches the ventricular lead 60 ms later and does not beat the ventricle', () => {
    const paces = Array.from({ length: 50 }, (_, i) => ({ t: 1000 + i * 1000, chamber: 'A' as const }));
    const heart = beat(loadScenario('crosstalk'), 52000, paces);
    const artefacts = heart.truth.senses.filter((s) => s.origin === 'crosstalk');
    assert.ok(artefacts.length > 20 && artefacts.length < 45, `${artefacts.length} artefacts of 50 paces at 60 %`);
    assert.ok(artefacts.every((s) => s.chamber === 'V' && s.t % 1000 === 60));
    assert.equal(heart.truth.activations.filter((a) => a.chamber === 'V').length, 0, 'complete block, no escape: only paces beat the ventricle');
  });

  it('atrial fibrillation converts back to sinus when its rhythm episode ends', () => {
    const heart = beat(loadScenario('af-converts'), 400000);
    const a = heart.truth.activations.filter((x) => x.chamber === 'A' && x.source === 'intrinsic').map((x) => x.t);
    const intervals = (from: number, to: number): number[] => {
      const inside = a.filter((t) => t > from && t < to);
      return inside.slice(1).map((t, i) => t - inside[i]);
    };
    const af = intervals(70000, 290000);
    // Wavelets 150–320 ms apart, some falling in the 200 ms tissue refractory period.
    const mean = af.reduce((x, y) => x + y, 0) / af.length;
    assert.ok(Math.min(...af) >= 200 && mean < 320, `AF ${Math.min(...af)}–${Math.max(...af)}, mean ${mean}`);
    const sinus = intervals(310000, 400000);
    assert.ok(sinus.every((x) => x > 800 && x < 920), `sinus ${Math.min(...sinus)}–${Math.max(...sinus)}`);
  });

  it('atrial tachycardia stops into atrial standstill', () => {
    const heart = beat(loadScenario('at-standstill'), 300000);
    const atrial = heart.truth.activations.filter((x) => x.chamber === 'A').map((x) => x.t);
    assert.ok(atrial.length > 700 && atrial.at(-1)! < 240000, `last P at ${atrial.at(-1)}`);
  });

  it('noise arrives at every interval of the sweep, 20 to 250 ms', () => {
    const heart = beat(loadScenario('noise-sweep-v'), 520000);
    const noise = heart.truth.senses.filter((s) => s.origin === 'noise').map((s) => s.t);
    const gaps = new Set(noise.slice(1).map((t, i) => t - noise[i]).filter((g) => g <= 250));
    assert.deepEqual([...gaps].sort((x, y) => x - y), [20, 40, 60, 80, 100, 125, 150, 175, 200, 225, 250]);
  });

  it('slow retrograde conduction: a ventricular pace brings a retrograde P 420 ms later', () => {
    const heart = beat({ ...loadScenario('slow-pmt'), pvc: null, atrium: { kind: 'none' } }, 3000, [{ t: 1000, chamber: 'V' }]);
    assert.deepEqual(heart.truth.activations.map((a) => [a.t, a.chamber, a.source]), [[1000, 'V', 'paced'], [1420, 'A', 'retrograde']]);
  });

  it('the same seed gives the same heart; another seed another one', () => {
    const record = (seed: number): string => JSON.stringify(beat(loadScenario('atrial-fibrillation'), 30000, [], seed).truth);
    assert.equal(record(5), record(5));
    assert.notEqual(record(5), record(6));
  });
});

describe('heart scenarios', () => {
  it('at least 25 ship, each valid, described and documented', () => {
    assert.ok(SCENARIO_NAMES.length >= 25, `${SCENARIO_NAMES.length} scenarios`);
    const docs = readFileSync(new URL('../../docs/heart-and-checker.md', import.meta.url), 'utf8');
    for (const name of SCENARIO_NAMES) {
      const s = loadScenario(name);
      assert.equal(s.name, name);
      assert.ok(s.description.length > 30, `${name} has no description`);
      assert.ok(docs.includes(`\`${name}\``), `${name} missing from docs/heart-and-checker.md`);
    }
  });

  it('the new fields are checked and a bad one is named', () => {
    const base = JSON.parse(JSON.stringify(loadScenario('normal-sinus'))) as Record<string, unknown>;
    const bad: [Record<string, unknown>, string][] = [
      [{ conduction: { ...(base.conduction as object), block: 'none', wenckebach: { beats: 3, incrementMs: 50 } } }, 'conduction.wenckebach'],
      [{ conduction: { ...(base.conduction as object), block: 'wenckebach', wenckebach: { beats: 3 } } }, 'conduction.wenckebach.incrementMs'],
      [{ conduction: { ...(base.conduction as object), prJitterMs: 500 } }, 'conduction.prJitterMs'],
      [{ crosstalk: { probability: 2, delayMs: 50 } }, 'crosstalk.probability'],
      [{ episodes: [{ type: 'noise', chamber: 'V', intervalMs: 251, fromMs: 0, toMs: 10 }] }, 'episodes[0].intervalMs'],
      [{ episodes: [{ type: 'rhythm', fromMs: 0, toMs: 10, atrium: { kind: 'flutter', cycleMs: 50 } }] }, 'episodes[0].atrium.cycleMs'],
    ];
    for (const [change, field] of bad) {
      assert.throws(() => parseScenario({ ...base, ...change }), (e: unknown) => e instanceof ScenarioError && e.field === field, field);
    }
  });
});
