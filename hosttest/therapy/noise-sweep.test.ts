// §5.5 noise sweep: in every mode that senses, continuous noise on a sensed lead at any interval
// from 20 to 250 ms gives asynchronous pacing in the noisy chamber, with no pause longer than
// the lower rate interval, and no sense is credited while the noise lasts. The heart is silent
// (pacemaker-dependent): the only pulses on the leads are the noise.
import assert from 'node:assert/strict';
import type { Chamber, MarkerType } from '../../modules/therapy/markers.js';
import { atrialTimed, lettersOf, pacesAtrium, pacesVentricle, sensesAtrium, sensesVentricle } from '../../modules/therapy/modes.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { engineBench, gaps } from './engine-bench.js';

const LRI = 1000;
const NOISE_FROM = 5000;
const NOISE_TO = 25000;
/** A pace may be deferred 1 ms when a noise marker took its ms in that chamber (one marker per chamber per ms, §4.8). */
const PAUSE_TOLERANCE_MS = 1;
/** The first two pulses of a train cannot yet be known as noise (the second, only when the first fell in blanking). */
const ONSET_PULSES = 2;
/** The spec's 23 modes (§3.5, Table 2), restated here so this file also runs against older engines. */
export const SPEC_MODES: readonly Mode[] = [
  'Off', 'AOO', 'VOO', 'AAI', 'VVI', 'AAT', 'VVT', 'DOO', 'DDI', 'VDD', 'DDD',
  'AOOR', 'VOOR', 'AAIR', 'VVIR', 'DOOR', 'DDIR', 'VDDR', 'DDDR', 'OAO', 'OVO', 'ODO', 'OOO',
] as Mode[];
const INTERVALS = Array.from({ length: (250 - 20) / 5 + 1 }, (_, i) => 20 + 5 * i);

const CREDITED: Record<Chamber, readonly MarkerType[]> = { A: ['AS', 'AT'], V: ['VS', 'PVC'] };
const PACE: Record<Chamber, MarkerType> = { A: 'AP', V: 'VP' };

const sensedChambers = (mode: Mode): Chamber[] => {
  const l = lettersOf(mode);
  return [...(sensesAtrium(l) ? ['A' as const] : []), ...(sensesVentricle(l) ? ['V' as const] : [])];
};
const paces = (mode: Mode, chamber: Chamber): boolean => (chamber === 'A' ? pacesAtrium : pacesVentricle)(lettersOf(mode));

export interface SweepResult {
  /** Longest gap between events in the timing chamber while the noise lasted. */
  longestPause: number;
  /** Paces in the noisy chamber during the noise (0 where the mode does not pace it). */
  noisyChamberPaces: number;
  /** Senses credited in the noisy chamber after the onset allowance. */
  creditedSenses: number;
}

export function sweepOne(mode: Mode, chamber: Chamber, intervalMs: number, phaseMs = 0): SweepResult {
  const bench = engineBench({ mode, lrl: 60 });
  bench.train(chamber, NOISE_FROM + phaseMs, NOISE_TO, intervalMs);
  bench.run(NOISE_TO + 2 * LRI);
  const l = lettersOf(mode);
  const timing: Chamber = atrialTimed(l) ? 'A' : 'V';
  const events = bench.times([PACE[timing], ...CREDITED[timing]], NOISE_FROM - LRI, NOISE_TO + LRI);
  return {
    longestPause: Math.max(0, ...gaps(events)),
    noisyChamberPaces: bench.times([PACE[chamber]], NOISE_FROM, NOISE_TO).length,
    creditedSenses: bench.times(CREDITED[chamber], NOISE_FROM + ONSET_PULSES * intervalMs + 1, NOISE_TO).length,
  };
}

// @req SAF-05
describe('noise sweep (§5.5): every sensing mode, noise every 20..250 ms', () => {
  for (const mode of SPEC_MODES) {
    for (const chamber of sensedChambers(mode)) {
      const paced = lettersOf(mode).paced !== 'O';
      it(`${mode}, ${chamber} lead: ${paced ? 'asynchronous pacing, no pause over the LRI, ' : ''}no sense credited`, () => {
        for (const intervalMs of INTERVALS) {
          const r = sweepOne(mode, chamber, intervalMs);
          const at = `${mode} ${chamber} noise every ${intervalMs} ms`;
          assert.equal(r.creditedSenses, 0, `${at}: ${r.creditedSenses} senses credited`);
          if (!paced) continue;
          assert.ok(r.longestPause <= LRI + PAUSE_TOLERANCE_MS, `${at}: a ${r.longestPause} ms pause`);
          if (paces(mode, chamber)) assert.ok(r.noisyChamberPaces >= (NOISE_TO - NOISE_FROM) / LRI - 1, `${at}: only ${r.noisyChamberPaces} paces in the noisy chamber`);
        }
      });
    }
  }
});

// @req SAF-05
describe('noise sweep (§5.5): noise pulses inside the blanking after an atrial pace', () => {
  // The old engine dropped a pulse in blanking before its noise detector saw it; the next pulse
  // then looked far enough from the last one to be a real sense and inhibited the ventricular pace.
  for (const mode of ['DDD', 'DDI', 'DDDR', 'DDIR'] as const) {
    it(`${mode}: ventricular noise every 60..125 ms at every phase against the atrial pace`, () => {
      for (let intervalMs = 60; intervalMs <= 125; intervalMs += 5) {
        for (let phaseMs = 0; phaseMs < intervalMs; phaseMs += 5) {
          const r = sweepOne(mode, 'V', intervalMs, phaseMs);
          const at = `${mode} V noise every ${intervalMs} ms, phase ${phaseMs} ms`;
          assert.equal(r.creditedSenses, 0, `${at}: ${r.creditedSenses} senses credited`);
          assert.ok(r.longestPause <= LRI + PAUSE_TOLERANCE_MS, `${at}: a ${r.longestPause} ms pause`);
        }
      }
    });
  }
});
