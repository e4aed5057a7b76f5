// The checker can fail: every deliberately broken engine is caught on the scenario that
// exercises its rule, while the spec engine passes the same run; properties no engine variant
// can break (the runaway cap is a constant, not a rule) are shown failing on hand-built traces.
import assert from 'node:assert/strict';
import type { Marker } from '../../modules/therapy/markers.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import { checkTrace } from '../../host/heart/checker.js';
import type { Property } from '../../host/heart/checker.js';
import { loadScenario, runClosedLoop } from '../../host/heart/closed-loop.js';
import { BROKEN_VARIANTS } from './broken-variants.js';

describe('trace checker: broken engine variants are caught', () => {
  for (const v of BROKEN_VARIANTS) {
    it(`${v.name} → ${v.caughtBy} (${v.scenario}, ${v.mode})`, () => {
      const scenario = loadScenario(v.scenario);
      const good = runClosedLoop({ scenario, mode: v.mode, set: v.set, minutes: 10, seed: 11 });
      assert.equal(good.verdict, 'pass', `the spec engine fails: ${JSON.stringify(good.violations.slice(0, 2))}`);
      const bad = runClosedLoop({ scenario, mode: v.mode, set: v.set, minutes: 10, seed: 11, rules: v.rules });
      const caught = new Set(bad.violations.map((x) => x.property));
      assert.ok(caught.has(v.caughtBy), `not caught as ${v.caughtBy}; got ${[...caught].join(', ') || 'nothing'}`);
    });
  }
});

describe('trace checker: hand-built traces', () => {
  const vvi = { ...NOMINAL, mode: 'VVI' as const };
  const check = (markers: Marker[], endMs: number): Set<Property> =>
    new Set(checkTrace(markers, { programs: [vvi], endMs, toleranceMs: 1, inputs: [] }).violations.map((v) => v.property));
  const start: Marker[] = [{ t: 0, type: 'POR' }, { t: 923, type: 'VP' }, { t: 923, type: 'PRM' }];

  it('a correct VVI trace passes', () => {
    assert.deepEqual([...check([...start, { t: 1923, type: 'VP' }, { t: 2500, type: 'VS' }, { t: 3500, type: 'VP' }], 4000)], []);
  });

  it('paces faster than 205 ppm violate the runaway cap', () => {
    assert.ok(check([...start, { t: 1200, type: 'VP' }], 2000).has('runaway'));
  });

  it('two ventricular markers in one ms, unknown types and time going backwards violate the marker rules', () => {
    assert.ok(check([...start, { t: 1923, type: 'VP' }, { t: 1923, type: 'VR' }], 2500).has('markers'));
    assert.ok(check([...start, { t: 1500, type: 'XX' as never }], 2500).has('markers'));
    assert.ok(check([...start, { t: 900, type: 'VR' }], 2500).has('markers'));
  });

  it('silence longer than the escape interval violates the lower rate, even at the end of the trace', () => {
    assert.ok(check([...start, { t: 1923, type: 'VP' }], 5000).has('lower-rate'));
  });

  it('a parameter change between boundaries violates atomicity; no pace after a reset violates reset pacing', () => {
    assert.ok(check([...start.slice(0, 2), { t: 1000, type: 'PRM' }], 1500).has('atomic-change'));
    assert.ok(check([{ t: 0, type: 'POR' }], 2000).has('reset-pacing'));
  });
});
