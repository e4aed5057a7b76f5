// Hysteresis (§5.8) only in inhibiting and tracking modes and never below the sensor-indicated
// rate; and the parameter-to-mode table (Table 6) for every parameter: one that does not apply to
// a mode changes nothing in that mode, and programming it says so (the reply's `ignored` list).
import assert from 'node:assert/strict';
import { APPLIES } from '../../modules/therapy/applicability.js';
import type { Marker } from '../../modules/therapy/markers.js';
import { ALL_MODES, lettersOf } from '../../modules/therapy/modes.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { NOMINAL, PARAMETER_TABLE } from '../../modules/therapy/params.js';
import type { PacingParameters, ParameterName } from '../../modules/therapy/params.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { checkLimits } from '../../modules/therapy/validate.js';
import { Prng } from '../../host/lib/prng.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { engineBench } from './engine-bench.js';
import type { Bench } from './engine-bench.js';

/** Ventricular senses every 900 ms for 9 s, then silence: the pause after the last one shows the escape after a sense. */
function senseRunThenPause(mode: Mode, changes: Partial<PacingParameters>): Bench {
  const chamber = lettersOf(mode).paced === 'A' ? 'A' : 'V';
  const b = engineBench({ mode, lrl: 60, ...changes });
  b.train(chamber, 1000, 10000, 900);
  b.run(20000);
  return b;
}

describe('hysteresis (§5.8)', () => {
  for (const mode of ['VVT', 'AAT'] as const) {
    it(`has no effect in the triggered mode ${mode}`, () => {
      const withHysteresis = senseRunThenPause(mode, { hysteresis: 45 }).markers;
      assert.deepEqual(withHysteresis, senseRunThenPause(mode, { hysteresis: 0 }).markers);
    });
  }

  for (const mode of ['VVI', 'AAI', 'DDI', 'DDD'] as const) {
    it(`applies in the inhibiting or tracking mode ${mode}`, () => {
      const b = senseRunThenPause(mode, { hysteresis: 45 });
      const last = 1000 + 900 * 9;
      const next = b.times(mode === 'AAI' ? ['AP'] : mode[0] === 'D' ? ['AP', 'VP'] : ['VP'], last)[0];
      assert.ok(next - last > 1000, `first pace ${next - last} ms after the last sense`);
    });
  }

  it('never lengthens the escape beyond the sensor-indicated interval (VVIR during exercise)', () => {
    const b = engineBench({ mode: 'VVIR', lrl: 60, msr: 120, hysteresis: 50 });
    b.engine.setActivity(8);
    // Intrinsic beats slightly faster than the sensor rate (500 ms), then none.
    b.train('V', 40000, 50000, 480);
    b.run(60000);
    const last = b.times(['VS'], 0, 50000).at(-1)!;
    const next = b.times(['VP'], last)[0];
    assert.ok(next - last <= 500 + 1, `a ${next - last} ms pause at a sensor rate of 120 ppm`);
  });
});

describe('parameters by mode (Table 6)', () => {
  const program = (changes: Record<string, unknown>) => {
    const therapy = new Therapy(new VirtualClock(0), { pace: () => {}, marker: () => {} });
    const r = therapy.program('permanent', changes);
    assert.ok(r.ok, JSON.stringify(r));
    return r.value.ignored;
  };

  it('the program reply lists the parameters that have no effect in the programmed mode', () => {
    assert.deepEqual(program({ mode: 'VVT', hysteresis: 45, lrl: 50 }), ['hysteresis']);
    assert.deepEqual(program({ mode: 'VVI', avDelay: 200, ventricularSafetyPacing: false, rateSmoothingUp: 6 }), ['avDelay', 'ventricularSafetyPacing']);
    assert.deepEqual(program({ mode: 'DDD', avDelay: 200, ventricularSafetyPacing: false, hysteresis: 50 }), []);
    assert.deepEqual(program({ mode: 'DDD', reactionTime: 20 }), ['reactionTime']);
    assert.deepEqual(program({ mode: 'DDD', atrMode: true, reactionTime: 20 }), [], 'the ATR fallback is VVIR: the sensor runs');
  });

  /** A heart that does a bit of everything: sinus with jitter and conducted beats, PVCs, a fast atrial run, a noise burst, exercise. */
  function richInputs(b: Bench, seed: number): void {
    const rng = new Prng(seed);
    for (let t = 800; t < 50000; t += 700 + rng.int(0, 500)) {
      b.at(t, () => b.engine.sense('A'));
      const r = rng.next();
      if (r < 0.5) b.at(t + 140 + rng.int(0, 120), () => b.engine.sense('V'));
      else if (r < 0.6) b.at(t + 450, () => b.engine.sense('V'));
    }
    b.train('A', 20000, 26000, 300);
    b.train('V', 32000, 34000, 90);
    b.at(10000, () => b.engine.setActivity(7));
    b.at(40000, () => b.engine.setActivity(0));
  }

  /** Another value of `name` that keeps the set valid, or undefined. */
  function otherValue(base: PacingParameters, name: Exclude<ParameterName, 'mode'>): unknown {
    const spec = PARAMETER_TABLE[name];
    const current = base[name];
    const candidates: unknown[] = spec.kind === 'bool' ? [!current]
      : spec.kind === 'enum' ? spec.values.filter((v) => v !== current)
      : [...(spec.off === undefined ? [] : [spec.off]), ...spec.spans.flatMap(([min, max, step]) => [min, min + step, Math.round((min + max) / 2 / step) * step, max])];
    return candidates.find((v) => v !== current && checkLimits({ ...base, [name]: v } as PacingParameters) === null);
  }

  const trace = (params: PacingParameters, seed: number): Marker[] => {
    const b = engineBench(params);
    richInputs(b, seed);
    b.run(60000);
    return b.markers;
  };

  for (const mode of ALL_MODES) {
    it(`${mode}: every parameter that does not apply leaves the trace unchanged`, () => {
      // Features on, so that a leak would show: hysteresis, smoothing, ATR, extension, dynamic AV.
      const base = { ...NOMINAL, mode, lrl: 60, url: 130, hysteresis: 50, rateSmoothingDown: 12, rateSmoothingUp: 12, atrMode: true, pvarpExtension: 100, dynamicAv: true, sensedAvOffset: -20 };
      assert.equal(checkLimits(base), null);
      const reference = trace(base, 7);
      const compared: string[] = [];
      for (const name of Object.keys(APPLIES) as (keyof typeof APPLIES)[]) {
        if (APPLIES[name](lettersOf(mode), base)) continue;
        const value = otherValue(base, name);
        if (value === undefined) continue;
        assert.deepEqual(trace({ ...base, [name]: value } as PacingParameters, 7), reference, `${mode}: ${name} = ${String(value)} changed the trace`);
        compared.push(name);
      }
      if (mode !== 'DDDR') assert.ok(compared.length > 0, `${mode}: nothing compared`);
    });
  }
});
