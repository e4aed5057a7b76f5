// Every fuzz target of `npm run fuzz -- all` at suite size, with a fixed seed; the campaign runs
// the same properties at a million cases (docs/fuzzing.md).
// @req SEC-16 (docs/traceability.md)
import fc from 'fast-check';
import { FUZZ_TARGETS } from '../../tools/fuzz/targets.js';

describe('fuzz targets (suite size)', function () {
  this.timeout(120_000);
  for (const [target, properties] of Object.entries(FUZZ_TARGETS)) {
    if (target === 'channel') continue; // hosttest/channel/fuzz.test.ts runs these at 300 cases
    for (const p of properties) {
      it(`${target}: ${p.name}`, () => fc.assert(p.property(), { numRuns: Math.max(20, 10 * p.weight), seed: 20261203 }));
    }
  }
});
