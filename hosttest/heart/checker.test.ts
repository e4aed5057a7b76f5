// The checker's properties for issue 11's defects fail on hand-built traces that break them and
// hold on traces that keep them; and the checker takes nothing from the engine but the parameter table.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { Marker } from '../../modules/therapy/markers.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { checkTrace } from '../../host/heart/checker.js';
import type { CheckOptions, Property } from '../../host/heart/checker.js';
import type { Truth } from '../../host/heart/checker/truth.js';

type Trace = [number, string][];

function properties(trace: Trace, programs: Partial<PacingParameters>[], endMs: number, more: Partial<CheckOptions> = {}): Set<Property> {
  const markers = trace.map(([t, type]) => ({ t, type })) as Marker[];
  const sets = programs.map((p) => ({ ...NOMINAL, ...p }));
  return new Set(checkTrace(markers, { programs: sets, endMs, toleranceMs: 1, inputs: [], ...more }).violations.map((v) => v.property));
}

const START: Trace = [[0, 'POR'], [923, 'VP'], [923, 'PRM']];

/** VVI paced at 1000 ms from 923 ms until `until`. */
function paced(until: number, from = 923, step = 1000): Trace {
  const out: Trace = [];
  for (let t = from + step; t <= until; t += step) out.push([t, 'VP']);
  return out;
}

describe('checker: the properties behind issue 11', () => {
  it('§5.5: a sense credited during continuous noise fails; the same noise marked as noise passes', () => {
    const episodes = [{ type: 'noise' as const, chamber: 'V' as const, intervalMs: 100, fromMs: 2000, toMs: 8000 }];
    const noise: Trace = [];
    for (let t = 2000; t < 8000; t += 100) noise.push([t, 'VN']);
    // VVI paces asynchronously through the noise: 1000 ms after the last VP before it, then every LRI.
    const marked = [...START, ...paced(1923), ...noise, ...paced(9923, 1923)].sort((a, b) => a[0] - b[0]);
    assert.deepEqual([...properties(marked, [{ mode: 'VVI' }], 10000, { episodes })], []);
    const credited = marked.map(([t, type]): [number, string] => [t, t === 5000 ? 'VS' : type]);
    assert.ok(properties(credited, [{ mode: 'VVI' }], 10000, { episodes }).has('noise'));
  });

  it('§5.8: hysteresis in a triggered mode fails', () => {
    const trace: Trace = [...START, [1500, 'VS'], [1501, 'VP'], [2700, 'VP']];
    assert.ok(properties(trace, [{ mode: 'VVT', hysteresis: 50 }], 3000).has('hysteresis'));
    assert.ok(!properties([...START, [1500, 'VS'], [1501, 'VP'], [2500, 'VP']], [{ mode: 'VVT', hysteresis: 50 }], 3000).has('hysteresis'));
  });

  it('§5.8/§5.7: in an R mode, a hysteresis pause below the sensor rate fails', () => {
    const inputs = [{ type: 'activity' as const, atMs: 0, level: 8 }];
    const fast = paced(40123, 923, 600);
    const ok: Trace = [...START, ...fast, [40500, 'VS'], [41000, 'VP']];
    const pause: Trace = [...START, ...fast, [40500, 'VS'], [41700, 'VP']];
    const set = { mode: 'VVIR' as const, hysteresis: 50, reactionTime: 10 };
    assert.ok(!properties(ok, [set], 41500, { inputs }).has('hysteresis'));
    assert.ok(properties(pause, [set], 42000, { inputs }).has('hysteresis'));
  });

  it('J5: a run of paces tracking retrograde P waves is a PMT; the same run tracking sinus P waves is not', () => {
    const trace: Trace = [...START];
    const senses: Truth['senses'][number][] = [];
    for (let v = 923, i = 0; i < 20; i++, v += 570) {
      trace.push([v + 420, 'AS'], [v + 570, 'VP']);
      senses.push({ t: v + 420, chamber: 'A', origin: 'retrograde' });
    }
    const truth = (origin: 'retrograde' | 'intrinsic'): Truth => ({ activations: trace.filter(([, m]) => m === 'VP').map(([t]) => ({ t, chamber: 'V' as const, source: 'paced' as const })), senses: senses.map((s) => ({ ...s, origin })) });
    const end = 923 + 20 * 570 + 100;
    assert.ok(properties(trace, [{ mode: 'VDD' }], end, { truth: truth('retrograde') }).has('pmt'));
    assert.deepEqual([...properties(trace, [{ mode: 'VDD' }], end, { truth: truth('intrinsic') })], []);
  });

  it('ventricular safety pacing: a sense 60 ms after AP must bring a VP at 110 ms', () => {
    const base: Trace = [...START, [1773, 'AP'], [1833, 'VS']];
    const set = { mode: 'DDD' as const, ventricularSafetyPacing: true } as Partial<PacingParameters>;
    assert.ok(properties([...base, [1883, 'VP']], [set], 2000).size === 0, 'the safety pace passes');
    assert.ok(properties([...base, [2900, 'AP']], [set], 3000).has('safety-pacing'), 'inhibition fails');
    assert.ok(properties([...base, [1923, 'VP']], [set], 2000).has('safety-pacing'), 'a late safety pace fails');
  });

  it('J3 on the heart: senses credited to artefacts cannot hide a pause', () => {
    const trace: Trace = [...START];
    for (let t = 1800; t < 9000; t += 900) trace.push([t, 'VS']);
    const truth = (origin: 'noise' | 'escape'): Truth => ({
      activations: [{ t: 923, chamber: 'V', source: 'paced' }, ...(origin === 'escape' ? trace.slice(3).map(([t]) => ({ t, chamber: 'V' as const, source: 'escape' as const })) : [])],
      senses: trace.slice(3).map(([t]) => ({ t, chamber: 'V', origin })),
    });
    assert.ok(properties(trace, [{ mode: 'VVI' }], 9000, { truth: truth('noise') }).has('asystole'));
    assert.ok(!properties(trace, [{ mode: 'VVI' }], 9000, { truth: truth('escape') }).has('asystole'));
  });

  /** DDD tracking a 200 ms atrial tachycardia at the URL: ATR-Dur at the 3rd V event, ATR-FB at the 13th if asked. Returns the last VP's time. */
  function tachycardia(trace: Trace, cycles: number, fallback: boolean): number {
    let v = 923;
    for (let i = 0; i < cycles; i++) {
      for (const d of [100, 300]) trace.push([v + d, 'AS']);
      v += 500;
      trace.push([v, 'VP']);
      if (i === 2) trace.push([v, 'ATR-Dur']);
      if (i === 12 && fallback) trace.push([v, 'ATR-FB']);
    }
    return v;
  }
  const atr = { mode: 'DDD' as const, atrMode: true, atrDuration: 10 };

  it('§5.6.3: an atrial pace during ATR fallback fails (the fallback mode is VVIR)', () => {
    const trace: Trace = [...START];
    const v = tachycardia(trace, 30, true);
    const p = properties([...trace, [v + 200, 'AP']], [atr], v + 300);
    assert.ok(p.has('mode-semantics'), [...p].join());
  });

  it('§5.6: ATR that does not end when the atrium falls silent fails', () => {
    const trace: Trace = [...START];
    let v = tachycardia(trace, 12, false);
    // Standstill: AP-VP cycles at the LRL, and no ATR-End.
    for (let i = 0; i < 20; i++, v += 1000) trace.push([v + 850, 'AP'], [v + 1000, 'VP']);
    assert.ok(properties(trace, [atr], v + 100).has('mode-switch'));
  });
});

describe('checker independence', () => {
  it('imports nothing of the engine but the parameter table (issue 11: a checker that shares none of its assumptions)', () => {
    const files = ['host/heart/checker.ts', ...readdirSync(new URL('../../host/heart/checker/', import.meta.url)).map((f) => `host/heart/checker/${f}`)];
    for (const file of files) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      const engine = imports.filter((i) => i.includes('modules/'));
      assert.ok(engine.every((i) => i.endsWith('modules/therapy/params.js')), `${file} imports ${engine.join(', ')}`);
    }
  });
});
