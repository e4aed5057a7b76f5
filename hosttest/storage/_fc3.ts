import { runSeed } from './power-cut-campaign.js';
import { NorFlash } from '../sim/nor-flash.js';
const o = NorFlash.prototype.armPowerCut;
NorFlash.prototype.armPowerCut = function (p) { if (p) console.log('arm', p, 'ops', this.ops); return o.call(this, p); };
const op = NorFlash.prototype.program; const oe = NorFlash.prototype.eraseBlock;
NorFlash.prototype.program = function (off, d) { if (this.ops > 100 && this.ops < 135) console.log('P', this.ops + 1, off >> 12, off & 4095, d.length, d[0]); return op.call(this, off, d); };
NorFlash.prototype.eraseBlock = function (b) { console.log('E', this.ops + 1, b); return oe.call(this, b); };
console.log(JSON.stringify(runSeed(215, console.log)));
