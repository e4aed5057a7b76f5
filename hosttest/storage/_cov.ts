import { countWorkloadOps, makeWorkload, EXHAUSTIVE_WORKLOAD, agedImage } from './power-cut-campaign.js';
import { NorFlash } from '../sim/nor-flash.js';
agedImage(4);
const orig = NorFlash.prototype.eraseBlock;
const counts: number[] = [];
NorFlash.prototype.eraseBlock = function (b: number) { counts[b] = (counts[b] ?? 0) + 1; return orig.call(this, b); };
console.log(countWorkloadOps(4, makeWorkload(EXHAUSTIVE_WORKLOAD.seed, EXHAUSTIVE_WORKLOAD.length)), counts);
