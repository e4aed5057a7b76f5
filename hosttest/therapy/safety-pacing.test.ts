// Ventricular safety pacing (not in the 2007 spec; the 110 ms window of real dual-chamber devices,
// docs/therapy.md): an atrial pace artefact seen on the ventricular lead (crosstalk) must never
// inhibit the ventricular pace. The heart is pacemaker-dependent (silent atrium, complete block);
// the only ventricular-lead pulses are the artefacts the test places after each atrial pace.
import assert from 'node:assert/strict';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { engineBench, gaps } from './engine-bench.js';
import type { Bench } from './engine-bench.js';

const LRI = 1000;

function crosstalk(delayMs: number, changes: Partial<PacingParameters> = {}): Bench {
  const b = engineBench({ mode: 'DDD', lrl: 60, ...changes });
  b.onPace((chamber, t) => {
    if (chamber === 'A') b.at(t + delayMs, () => b.engine.sense('V'));
  });
  b.run(60000);
  return b;
}

describe('ventricular safety pacing', () => {
  for (const delayMs of [45, 60, 80, 100, 109]) {
    it(`an artefact ${delayMs} ms after every atrial pace gets a ventricular pace 110 ms after it, never a pause`, () => {
      const b = crosstalk(delayMs);
      const ap = b.times(['AP']);
      const vp = b.times(['VP']);
      assert.ok(vp.length >= 58, `only ${vp.length} ventricular paces in 60 s`);
      for (const t of vp) assert.ok(ap.includes(t - 110), `VP at ${t} is not 110 ms after an AP`);
      assert.ok(Math.max(...gaps(vp)) <= LRI, `a ${Math.max(...gaps(vp))} ms ventricular pause`);
      assert.equal(b.times(['VSP']).length, vp.length);
    });
  }

  it('a sense after the window inhibits as usual', () => {
    const b = crosstalk(130);
    assert.equal(b.times(['VP']).length, 0);
    assert.equal(b.times(['VSP']).length, 0);
  });

  it('is programmable: off, the artefact inhibits the ventricular pace', () => {
    const b = crosstalk(60, { ventricularSafetyPacing: false });
    assert.equal(b.times(['VP']).length, 0);
  });

  it('is on by default in dual-chamber modes, and ignored where it does not apply', () => {
    assert.equal(NOMINAL.ventricularSafetyPacing, true);
    for (const mode of ['DDD', 'DDI', 'DDDR', 'DDIR'] as const) assert.equal(crosstalk(60, { mode }).times(['VSP']).length > 50, true, mode);
    const therapy = new Therapy(new VirtualClock(0), { pace: () => {}, marker: () => {} });
    for (const mode of ['VVI', 'VDD', 'DOO', 'AAI'] as const) {
      const r = therapy.program('permanent', { mode, ventricularSafetyPacing: true });
      assert.ok(r.ok && r.value.ignored.includes('ventricularSafetyPacing'), mode);
    }
  });
});
