// The channel fuzz properties at suite size; `npm run fuzz -- channel` runs them at 100,000 cases each.
// @req SEC-16 (docs/traceability.md)
import fc from 'fast-check';
import { channelFuzzProperties } from '../../tools/fuzz/channel-properties.js';

describe('channel fuzzing (suite size)', () => {
  for (const p of channelFuzzProperties) {
    it(p.name, () => fc.assert(p.property(), { numRuns: 300, seed: 20261128 }));
  }
});
