// Rates to intervals, and the hard runaway limit no parameter set can exceed.
// @req SAF-04 (docs/traceability.md)

/** The interval of a rate, in whole ms: 60000 / ppm rounded to the nearest ms (the marker resolution, spec §4.8). */
export function intervalOf(ppm: number): number {
  return Math.round(60000 / ppm);
}

/** Runaway protection: no two paces in one chamber closer than 60000/205 ms (Boston's 205 ppm runaway circuit). */
export const RUNAWAY_PPM = 205;
export const RUNAWAY_MIN_INTERVAL_MS = Math.ceil(60000 / RUNAWAY_PPM);
