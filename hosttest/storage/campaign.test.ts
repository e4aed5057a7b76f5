// A small power-cut campaign on every test run (the full one: npm run campaign:storage).
// @req SEC-12 (docs/traceability.md)
import assert from 'node:assert/strict';
import { addSummary, emptySummary, runExhaustive, runSeed, WRITE_SIZES } from '../../host/campaign/storage-campaign.js';

describe('storage power-cut campaign (small)', () => {
  it('loses nothing acknowledged, never lowers a counter, keeps the audit chain: cuts at every 13th operation, clean and torn, on write sizes 1, 4 and 8, plus 16 random seeds', () => {
    const total = emptySummary();
    for (const writeSize of WRITE_SIZES) addSummary(total, runExhaustive(writeSize, (at) => at % 13 === writeSize % 13));
    for (let seed = 1; seed <= 16; seed++) addSummary(total, runSeed(seed));
    assert.ok(total.cuts > 100 && total.torn > 50, `cuts ${total.cuts}, torn ${total.torn}`);
    assert.equal(total.seeds, 16);
    assert.deepEqual(
      { recovered: total.recovered, lost_acknowledged: total.lost_acknowledged, counter_regressions: total.counter_regressions, chain_failures: total.chain_failures, half_visible: total.half_visible, crashes: total.crashes, false_corruption: total.false_corruption },
      { recovered: total.cuts, lost_acknowledged: 0, counter_regressions: 0, chain_failures: 0, half_visible: 0, crashes: 0, false_corruption: 0 },
    );
  });

  it('would notice a store that loses data: the checker is not blind', () => {
    // A planner-free run of a seed, then the same checks against a model that claims one more
    // acknowledged counter value than storage has: the checker must report it.
    const summary = runSeed(3, undefined, { claimExtraCounter: true });
    assert.ok(summary.counter_regressions > 0 && summary.lost_acknowledged > 0);
  });
});
