import { runSeed, addSummary, emptySummary, runExhaustive } from './power-cut-campaign.js';
const s = emptySummary();
for (let i = 1; i <= 600; i++) { const r = runSeed(i); if (r.false_corruption || r.lost_acknowledged || r.half_visible || r.crashes || r.chain_failures) console.log(i, JSON.stringify(r)); addSummary(s, r); }
console.log(JSON.stringify(s));
console.log(JSON.stringify(runExhaustive(1, (at) => at % 7 === 0)));
