// The seed-sampled matrix: each scenario in two modes and each of the spec's 23 modes in two
// scenarios, 10 simulated minutes each, on rotating seeds (the full matrix is `npm run heart:matrix`).
import assert from 'node:assert/strict';
import { SPEC_MODES } from '../../host/heart/checker/spec.js';
import { SCENARIO_NAMES } from '../../host/heart/closed-loop.js';
import { fullMatrix, runMatrix, sampledMatrix } from '../../host/heart/matrix.js';

describe('heart matrix (seed-sampled)', () => {
  const cells = [...sampledMatrix(SCENARIO_NAMES)];

  it('covers every scenario and every mode of the spec, deterministically, in a fraction of the full matrix', () => {
    assert.deepEqual(new Set(cells.map((c) => c.scenario)), new Set(SCENARIO_NAMES));
    assert.deepEqual(new Set(cells.map((c) => c.mode)), new Set(SPEC_MODES));
    assert.ok(new Set(cells.map((c) => c.seed)).size === 3);
    assert.deepEqual(cells, [...sampledMatrix(SCENARIO_NAMES)]);
    assert.ok(cells.length < [...fullMatrix(SCENARIO_NAMES)].length / 20);
  });

  it('every sampled run passes every property, and every mode is accepted', () => {
    const f = runMatrix(cells, 10);
    assert.deepEqual([...f.notAccepted], []);
    assert.equal(f.runs, cells.length);
    assert.deepEqual(f.failedRuns.map((r) => `${r.cell.scenario} ${r.cell.mode} seed ${r.cell.seed}: ${r.first}`), []);
    assert.ok(f.eventsChecked > 500 * f.runs, `${f.eventsChecked} events`);
  });
});
