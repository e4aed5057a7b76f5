// Pacemaker-mediated tachycardia: a ventricular pace conducts back to the atrium, the device tracks
// the retrograde P wave, and the loop sustains itself. Detection must catch slow PMTs (slow
// retrograde conduction, below the URL) as well as fast ones, and an atrial sense in a refractory
// period must not reset the detector. The heart here conducts every ventricular pace back to the
// atrium after `vaMs` unless an atrial pace in the 400 ms before it left the AV node refractory.
import assert from 'node:assert/strict';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { engineBench, gaps } from './engine-bench.js';
import type { Bench } from './engine-bench.js';

const NODE_REFRACTORY_MS = 400;

function retrograde(changes: Partial<PacingParameters>, vaMs: number): Bench {
  const b = engineBench({ mode: 'DDD', lrl: 60, ...changes });
  let lastAp = -Infinity;
  b.onPace((chamber, t) => {
    if (chamber === 'A') lastAp = t;
    else if (t - lastAp > NODE_REFRACTORY_MS) b.at(t + vaMs, () => b.engine.sense('A'));
  });
  // One early atrial beat starts the loop: its tracked pace conducts back.
  b.at(500, () => b.engine.sense('A'));
  return b;
}

/** The longest run of consecutive ventricular intervals within 5 ms of `cycleMs`. */
function longestRun(b: Bench, cycleMs: number): number {
  let run = 0, longest = 0;
  for (const g of gaps(b.times(['VP', 'VS']))) {
    run = Math.abs(g - cycleMs) <= 5 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('PMT detection', () => {
  it('catches a slow PMT below the URL (retrograde VA 420 ms, about 105 ppm)', () => {
    const b = retrograde({}, 420);
    b.run(120000);
    const run = longestRun(b, 420 + 150);
    assert.ok(run <= 10, `${run} paced cycles of PMT at ${60000 / 570 | 0} ppm`);
    assert.ok(b.times(['PMT']).length >= 1, 'no PMT intervention');
  });

  it('catches a fast PMT at the URL', () => {
    const b = retrograde({}, 280);
    b.run(120000);
    assert.ok(longestRun(b, 500) <= 10);
    assert.ok(b.times(['PMT']).length >= 1);
  });

  it('an atrial sense in PVARP does not reset the detector', () => {
    // URL 100 ppm: the PMT runs at 600 ms; every third cycle an extra atrial pulse 10 ms after the
    // pace falls in PVARP (marked AR), far enough from the retrograde P waves not to be noise.
    const b = retrograde({ url: 100 }, 280);
    let paces = 0;
    b.onPace((chamber, t) => {
      if (chamber === 'V' && ++paces % 3 === 0) b.at(t + 10, () => b.engine.sense('A'));
    });
    b.run(120000);
    assert.ok(b.times(['AR']).length > 3, 'no refractory atrial senses: the test does not bite');
    const run = longestRun(b, 600);
    assert.ok(run <= 10, `${run} paced cycles of PMT at the URL`);
  });

  it('with protection off the loop runs on (the heart above does sustain a PMT)', () => {
    const b = retrograde({ pmtProtection: false }, 420);
    b.run(120000);
    assert.ok(longestRun(b, 570) > 100);
  });
});
