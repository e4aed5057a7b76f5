// Scenario properties that need more than a pass: PMT exists without protection (J4) and slow
// PMT is broken with it (J5), ATR switches and returns (J6), each mode's defining response, AV
// delays, rate response, determinism. The matrix of every scenario in every mode is
// hosttest/heart/matrix.test.ts (a seed-sampled subset) and `npm run heart:matrix` (all of it).
import assert from 'node:assert/strict';
import type { Marker } from '../../modules/therapy/markers.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { loadScenario, runClosedLoop } from '../../host/heart/closed-loop.js';
import type { LoopOptions, LoopResult } from '../../host/heart/closed-loop.js';

const MODIFIERS = new Set(['-Hy', '-Sr', '↑', '↓']);

/** A checked run; its markers without the modifiers (§4.8), which qualify the pace before them, so tests read event sequences. */
function run(scenario: string, mode: Mode, extra: Partial<LoopOptions> = {}): LoopResult {
  const r = runClosedLoop({ scenario: loadScenario(scenario), mode, minutes: 10, seed: 7, ...extra });
  return { ...r, markers: r.markers.filter((m) => !MODIFIERS.has(m.type)) };
}

function explain(r: LoopResult): string {
  return r.violations.slice(0, 5).map((v) => `${v.property}@${v.t_ms}: ${v.message}`).join('\n');
}

const count = (markers: Marker[], type: string): number => markers.filter((m) => m.type === type).length;

describe('therapy closed loop: Off', () => {
  it('Off paces nothing and marks no senses', () => {
    const r = run('normal-sinus', 'Off');
    assert.deepEqual(r.markers.map((m) => m.type).filter((t) => t !== 'POR' && t !== 'PRM' && t !== 'VS'), []);
    assert.ok(r.markers.length <= 3);
  });
});

describe('therapy closed loop: properties that need a demonstration', () => {
  /** Longest run of consecutive tracked VPs at the upper rate interval. */
  function longestUpperRateRun(markers: Marker[], uri: number): number {
    let run = 0, best = 0, lastV = -Infinity, tracked = false;
    for (const m of markers) {
      if (m.type === 'AS') tracked = true;
      if (m.type !== 'VP' && m.type !== 'VS' && m.type !== 'PVC') continue;
      run = m.type === 'VP' && tracked && m.t - lastV <= uri + 1 ? run + 1 : 0;
      best = Math.max(best, run);
      lastV = m.t;
      tracked = false;
    }
    return best;
  }

  it('J4/J5: retrograde conduction sustains a PMT without protection; with it, runs stay within 10 cycles', () => {
    const off = run('pvc-retrograde', 'DDD', { set: { pvarpExtension: 0, pmtProtection: false } });
    const on = run('pvc-retrograde', 'DDD', { set: { pvarpExtension: 0, pmtProtection: true } });
    assert.ok(longestUpperRateRun(off.markers, 500) > 30, `no PMT without protection: ${longestUpperRateRun(off.markers, 500)}`);
    assert.equal(on.verdict, 'pass', explain(on));
    assert.ok(count(on.markers, 'PMT') > 0);
    assert.ok(longestUpperRateRun(on.markers, 500) <= 10);
  });

  it('J6: flutter starts ATR, falls back after ATR Duration cycles at a V event, and never tracks in fallback', () => {
    const r = run('atrial-flutter', 'DDD');
    assert.equal(r.verdict, 'pass', explain(r));
    const onset = r.markers.findIndex((m) => m.type === 'ATR-Dur');
    const fallback = r.markers.findIndex((m) => m.type === 'ATR-FB');
    assert.ok(onset >= 0 && fallback > onset);
    // One augmentation marker per ms (§4.8): a V event that already carries PMT or PVP defers the count by one.
    // The count runs over the V events after onset, the last being the one fallback is synchronised to.
    const between = r.markers.slice(onset + 1, fallback);
    const vEvents = between.filter((m) => ['VP', 'VS', 'PVC'].includes(m.type)).length;
    const deferred = between.filter((m) => m.type === 'PMT' || m.type === 'PVP').length;
    assert.equal(vEvents - deferred, r.params.atrDuration);
    const vAtFallback = r.markers[fallback - 1];
    assert.ok(['VP', 'VS', 'PVC'].includes(vAtFallback.type) && vAtFallback.t === r.markers[fallback].t);
    assert.equal(count(r.markers.slice(fallback), 'AP'), 0);
  });

  it('ATR ends when the flutter stops (sinus after the episode)', () => {
    const scenario = loadScenario('atrial-flutter');
    const r = runClosedLoop({ scenario: { ...scenario, atrium: { kind: 'sinus', rateBpm: 70, jitterMs: 10 }, episodes: [] }, mode: 'DDD', minutes: 2, seed: 3 });
    assert.equal(count(r.markers, 'ATR-Dur'), 0);
  });

  it('defining responses: T triggers, I inhibits, D tracks, O ignores', () => {
    const vvt = run('normal-sinus', 'VVT').markers;
    const triggered = vvt.filter((m, i) => m.type === 'VP' && vvt[i - 1]?.type === 'VS' && m.t - vvt[i - 1].t === 1).length;
    assert.ok(triggered > 600, `VVT triggered ${triggered}`);
    const aai = run('normal-sinus', 'AAI').markers;
    assert.ok(count(aai, 'AS') > 600 && count(aai, 'AP') === 0);
    const vdd = run('normal-sinus', 'VDD').markers;
    const tracked = vdd.filter((m, i) => m.type === 'VP' && vdd[i - 1]?.type === 'AS' && m.t - vdd[i - 1].t === 150).length;
    assert.ok(tracked > 600, `VDD tracked ${tracked}`);
    const ddi = run('sinus-above-url', 'DDI').markers;
    assert.equal(ddi.filter((m, i) => m.type === 'VP' && ddi[i - 1]?.type === 'AS' && m.t - ddi[i - 1].t === 150).length, 0);
    const doo = run('normal-sinus', 'DOO').markers;
    assert.equal(doo.filter((m) => ['AS', 'VS', 'AR', 'VR', 'PVC'].includes(m.type)).length, 1); // the VS under POR before DOO applied
  });

  it('AV delays: the sensed offset shortens tracked AV; dynamic AV shortens with the rate', () => {
    const offset = run('normal-sinus', 'VDD', { set: { sensedAvOffset: -30 } });
    assert.equal(offset.verdict, 'pass', explain(offset));
    const sav = offset.markers.flatMap((m, i) => (m.type === 'VP' && offset.markers[i - 1]?.type === 'AS' ? [m.t - offset.markers[i - 1].t] : []));
    assert.ok(sav.length > 600 && sav.every((d) => d === 120), `sensed AV ${[...new Set(sav)]}`);
    const dynamic = run('exercise', 'DDDR', { set: { dynamicAv: true, minDynamicAv: 80, recoveryTime: 2 } });
    assert.equal(dynamic.verdict, 'pass', explain(dynamic));
    const pav = dynamic.markers.flatMap((m, i) => (m.type === 'VP' && dynamic.markers[i - 1]?.type === 'AP' ? [m.t - dynamic.markers[i - 1].t] : []));
    assert.equal(Math.max(...pav), 150);
    assert.equal(Math.min(...pav), 80, 'at the sensor rate of 120 ppm the AV delay reaches its minimum');
  });

  it('rate response: DDDR paces faster during activity and returns to LRL at rest', () => {
    const r = run('exercise', 'DDDR', { set: { recoveryTime: 2 } });
    assert.equal(r.verdict, 'pass', explain(r));
    const vIntervals = (from: number, to: number): number[] => {
      const v = r.markers.filter((m) => (m.type === 'VP' || m.type === 'VS') && m.t >= from && m.t < to);
      return v.slice(1).map((m, i) => m.t - v[i].t);
    };
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(vIntervals(30000, 60000)) > 990, 'rest');
    assert.ok(Math.min(...vIntervals(240000, 300000)) === 500, 'running reaches MSR');
    assert.ok(mean(vIntervals(440000, 600000)) > 990, 'recovered');
  });

  it('the same seed gives the same trace; another seed a different one', () => {
    const a = run('atrial-fibrillation', 'DDD');
    const b = run('atrial-fibrillation', 'DDD');
    const c = run('atrial-fibrillation', 'DDD', { seed: 8 });
    assert.deepEqual(a.markers, b.markers);
    assert.notDeepEqual(a.markers, c.markers);
  });
});

describe('therapy closed loop: the hard scenarios bite', () => {
  /** Longest gap between the heart's own ventricular beats, after `from`. */
  function longestVentricularGap(r: LoopResult, from = 0): number {
    const beats = r.truth.activations.filter((a) => a.chamber === 'V' && a.t >= from).map((a) => a.t);
    return Math.max(...beats.slice(1).map((t, i) => t - beats[i]));
  }

  it('crosstalk: the artefact gets a safety pace at 110 ms, and the dependent ventricle never pauses', () => {
    const r = run('crosstalk', 'DDD');
    assert.equal(r.verdict, 'pass', explain(r));
    const safety = r.markers.filter((m) => m.type === 'VSP').length;
    assert.ok(safety > 200, `${safety} safety paces`);
    assert.ok(longestVentricularGap(r, 2000) <= 1001, `gap ${longestVentricularGap(r, 2000)} ms`);
  });

  it('noise at every interval from 20 to 250 ms: no sense credited, the dependent ventricle paced at the LRL', () => {
    const r = run('noise-sweep-v', 'VVI');
    assert.equal(r.verdict, 'pass', explain(r));
    const credited = r.markers.filter((m) => (m.type === 'VS' || m.type === 'PVC') && r.truth.senses.some((s) => s.t === m.t && s.origin === 'noise'));
    assert.ok(credited.length <= 11, `${credited.length} noise pulses credited (at most the first of each burst)`);
    assert.ok(longestVentricularGap(r, 2000) <= 1001, `gap ${longestVentricularGap(r, 2000)} ms`);
  });

  it('slow retrograde PMT (VA 420 ms, about 105 ppm): sustained without protection, broken with it', () => {
    const retrogradeRun = (r: LoopResult): number => {
      let run = 0, best = 0;
      for (const [i, m] of r.markers.entries()) {
        if (m.type !== 'VP' && m.type !== 'VS' && m.type !== 'PVC') continue;
        const p = r.markers.slice(Math.max(0, i - 4), i).reverse().find((x) => x.type === 'AS' || x.type === 'AT');
        const retro = m.type === 'VP' && p !== undefined && r.truth.senses.some((s) => s.t === p.t && s.origin === 'retrograde');
        run = retro ? run + 1 : 0;
        best = Math.max(best, run);
      }
      return best;
    };
    const off = run('slow-pmt', 'DDD', { set: { pmtProtection: false } });
    const on = run('slow-pmt', 'DDD');
    assert.ok(retrogradeRun(off) > 100, `longest PMT without protection ${retrogradeRun(off)}`);
    assert.equal(on.verdict, 'pass', explain(on));
    assert.ok(count(on.markers, 'PMT') > 0 && retrogradeRun(on) <= 10, `longest PMT with protection ${retrogradeRun(on)}`);
  });

  it('AF that converts: ATR starts, falls back, and ends after conversion; AT into standstill ends ATR too', () => {
    const af = run('af-converts', 'DDD');
    assert.equal(af.verdict, 'pass', explain(af));
    const at = (type: string, r: LoopResult): number[] => r.markers.filter((m) => m.type === type).map((m) => m.t);
    assert.ok(at('ATR-Dur', af)[0] > 60000 && at('ATR-FB', af)[0] > at('ATR-Dur', af)[0]);
    assert.ok(at('ATR-End', af).some((t) => t > 300000 && t < 320000), `ATR-End at ${at('ATR-End', af)}`);
    const standstill = run('at-standstill', 'DDD');
    assert.equal(standstill.verdict, 'pass', explain(standstill));
    assert.ok(at('ATR-End', standstill).some((t) => t > 240000 && t < 250000), `ATR-End at ${at('ATR-End', standstill)}`);
  });

  it('ATR fallback during exercise keeps a sensor-driven rate (VVIR), faster than the LRL', () => {
    const r = run('exercise-af', 'DDD');
    assert.equal(r.verdict, 'pass', explain(r));
    const fallback = r.markers.find((m) => m.type === 'ATR-FB')!.t;
    const paced = r.markers.filter((m) => m.type === 'VP' && m.t > fallback + 70000 && m.t < 400000);
    const mean = (paced.at(-1)!.t - paced[0].t) / (paced.length - 1);
    assert.ok(mean < 700, `mean paced V-V ${mean} ms in fallback`);
  });
});
