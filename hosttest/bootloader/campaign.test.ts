// A smaller run of the never-brick campaign (the full one: npm run campaign:update -- --seeds 10000).
import assert from 'node:assert/strict';
import { runCampaign, SCENARIOS } from '../../host/campaign/update-campaign.js';
import { SIM_LAYOUTS } from '../../host/fixtures/sim-device.js';

describe('update: power cut at every flash operation', () => {
  it('boots a valid image after every cut, plain and torn, on both layouts, and never bricks, downgrades or sticks', async () => {
    const covered: string[] = [];
    const failures: string[] = [];
    const totals = await runCampaign({
      layouts: SIM_LAYOUTS,
      seeds: 60,
      onFailure: (where) => failures.push(where),
      onCoverage: (layout, scenario, ops) => covered.push(`${layout}/${scenario}:${ops}`),
    });
    assert.deepEqual(failures, []);
    assert.equal(covered.length, SIM_LAYOUTS.length * SCENARIOS.length);
    const exhaustive = covered.reduce((n, c) => n + 2 * Number(c.split(':')[1]), 0);
    assert.ok(totals.cuts >= exhaustive + 2 * 60, `every operation cut plain and torn, plus the seeds (${totals.cuts})`);
    assert.ok(totals.torn >= exhaustive / 2);
    assert.deepEqual({ bricked: totals.bricked, downgraded: totals.downgraded, stuck: totals.stuck }, { bricked: 0, downgraded: 0, stuck: 0 });
    assert.equal(totals.booted_valid, totals.cuts);
  });
});
