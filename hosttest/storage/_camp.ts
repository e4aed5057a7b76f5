import { runExhaustive, runSeed, addSummary, emptySummary, countWorkloadOps, makeWorkload, EXHAUSTIVE_WORKLOAD } from './power-cut-campaign.js';
let t = Date.now();
for (const w of [1,4,8]) console.log(w, countWorkloadOps(w, makeWorkload(EXHAUSTIVE_WORKLOAD.seed, EXHAUSTIVE_WORKLOAD.length)), Date.now() - t);
t = Date.now();
const s = emptySummary();
for (let i = 1; i <= 200; i++) addSummary(s, runSeed(i));
console.log(JSON.stringify(s), Date.now() - t, 'ms');
t = Date.now();
console.log(JSON.stringify(runExhaustive(4, (at) => at % 10 === 0)), Date.now() - t, 'ms');
