// Every case of the Wycheproof files through the noble provider (the path that runs on every
// engine), on Node and inside XS. The counts are printed so a run shows what was covered.
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { AssertionError } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import { runWycheproof, summarize, WYCHEPROOF_SUITES } from './wycheproof.js';

describe(`Wycheproof vectors, noble provider`, () => {
  for (const suite of WYCHEPROOF_SUITES) {
    it(`passes every ${suite} case`, () => {
      const records = runWycheproof(suite, nobleProvider);
      testHost().log(`[${testHost().engine}] ${summarize(suite, records)}`);
      const wrong = records.filter((r) => r.actual !== r.expected);
      if (wrong.length > 0) {
        const shown = wrong.slice(0, 5).map((r) => `tcId ${r.tcId} [${r.flags.join(',')}] expected ${r.expected}, got ${r.actual}`);
        throw new AssertionError(`${wrong.length} ${suite} case(s) wrong:\n${shown.join('\n')}`);
      }
    });
  }
});
