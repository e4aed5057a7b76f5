import { runSeed } from './power-cut-campaign.js';
import { NorFlash } from '../sim/nor-flash.js';
const o = NorFlash.prototype.armPowerCut;
NorFlash.prototype.armPowerCut = function (p) { if (p) console.log('arm', p, 'ops', this.ops); return o.call(this, p); };
console.log(JSON.stringify(runSeed(215, console.log)));
