// What the trace checker knows of the PACEMAKER specification (2007), restated from the spec text
// and the sources docs/heart-and-checker.md names, never imported from the engine. Section numbers
// are the spec's. Figures the spec does not give carry their source.

/** The 23 modes of the spec (§3.5, Table 2, Table 7): 19 programmable, 4 temporary-only. */
export const SPEC_MODES = Object.freeze([
  'Off', 'DDDR', 'VDDR', 'DDIR', 'DOOR', 'VOOR', 'AOOR', 'VVIR', 'AAIR',
  'DDD', 'VDD', 'DDI', 'DOO', 'VOO', 'AOO', 'VVI', 'AAI', 'VVT', 'AAT',
  'OVO', 'OAO', 'ODO', 'OOO',
] as const);
export type SpecMode = (typeof SPEC_MODES)[number];

/** §3.5 Table 2: the temporary-only modes, sensing without pacing. */
export const TEMPORARY_ONLY_MODES: readonly SpecMode[] = Object.freeze(['OVO', 'OAO', 'ODO', 'OOO']);

export type Chamber = 'A' | 'V';
export type Letter = 'O' | 'A' | 'V' | 'D';

/** §3.5 Table 2: position I paced, II sensed, III response (O, T, I, D), IV R rate modulation. */
export interface Letters {
  paced: Letter;
  sensed: Letter;
  response: 'O' | 'T' | 'I' | 'D';
  rateAdaptive: boolean;
}

export function letters(mode: string): Letters {
  if (mode === 'Off') return { paced: 'O', sensed: 'O', response: 'O', rateAdaptive: false };
  return { paced: mode[0] as Letter, sensed: mode[1] as Letter, response: mode[2] as Letters['response'], rateAdaptive: mode[3] === 'R' };
}

export const covers = (letter: Letter, chamber: Chamber): boolean => letter === chamber || letter === 'D';
/** §5.1: AXX modes time the cycle from atrial events, DXX and VXX from ventricular ones. */
export const atrialTimed = (l: Letters): boolean => l.paced === 'A';
/** §3.5.4: an atrial sense causes a tracked ventricular pace after the AV delay. */
export const tracks = (l: Letters): boolean => l.response === 'D' && covers(l.sensed, 'A') && covers(l.paced, 'V');

/** §5.1 ff.: intervals from rates, in whole ms (the marker resolution of §4.8). */
export const interval = (ppm: number): number => Math.round(60000 / ppm);

/** §3.6.5 POR set (VVI, 65 ppm, VRP 320 ms) and §3.6.3 Pace-Now set (the same timing). */
export const POR_TIMING = Object.freeze({ mode: 'VVI', lrl: 65, vrp: 320 });
/** §3.6.3: Pace-Now's first pulse within two cardiac cycles plus 500 ms of the command. */
export const PACE_NOW_GRACE_MS = 500;
/** After a reset, pacing resumes within one second (Boston's 2021 advisory: "resumes within one second"), on top of the POR escape interval. */
export const RESET_RESUME_MS = 1000;

/** §3.7: magnet rate by battery status: 100 ppm at BOL, 90 at ERN, 85 at ERT (and after). */
export function magnetRate(battery: string): number {
  return battery === 'BOL' ? 100 : battery === 'ERN' ? 90 : 85;
}

/** Runaway protection: bradycardia pacing never above 205 ppm (Boston's runaway circuit, manual CRMN11906). */
export const RUNAWAY_MIN_MS = Math.ceil(60000 / 205);

/**
 * Ventricular safety pacing (not in the 2007 spec): a ventricular sense in the first 110 ms
 * after an atrial pace is treated as crosstalk and answered by a ventricular pace at the end of
 * that window (kpep.org glossary, "ventricular safety pacing"; VSP 110 ms in UPenn's
 * mlab-upenn/VHM_PMT_public createNewPacemaker.m).
 */
export const SAFETY_WINDOW_MS = 110;

/** §3.5.2 "immediate" triggered pace: within 10 ms of the sense (derived; the bench budget in docs/therapy.md). */
export const TRIGGER_WINDOW_MS = 10;

/**
 * PMT (Jiang et al. TACAS 2012, property J5): with protection on, no run of more than 10
 * consecutive ventricular paces each tracking a retrograde P wave (an 8-cycle detector, as in
 * Biotronik Cylos and Jiang's ELT model, plus the cycle that breaks it, plus one).
 */
export const PMT_RUN_LIMIT = 10;

/**
 * §5.6 ATR onset: atrial intervals "predominately" faster than the URL. Derived: 24 consecutive
 * fast atrial intervals with ATR still idle is a missed onset.
 */
export const ATR_ONSET_FAST_INTERVALS = 24;
/**
 * §5.6 ATR end ("If AT ends during fallback, the device returns to normal mode at once"; if it
 * ends during Duration, no fallback). Derived: 16 slow atrial intervals in a row, or 16
 * ventricular events without an atrial sense (standstill), mean the AT has ended: twice what an
 * 8-interval detector needs.
 */
export const ATR_END_INTERVALS = 16;
/** §5.6 Duration tolerance ±1 cc (Table 7), plus one V event an augmentation marker in the same ms may defer it by. */
export const ATR_DURATION_SLACK = 2;

/**
 * Noise (§5.5): the detector needs a few pulses to see that noise is continuous. Derived:
 * senses in a noise burst's first two pulse intervals (and at least 300 ms) may still be credited,
 * and in the cardiac cycle after it ends the device may still be reverting.
 */
export const NOISE_ONSET_PULSES = 2;
/**
 * Noise comes at any interval from 20 to 250 ms (issue 11, after the outside review's sweep), so a
 * signal that close to the previous one on its lead may be taken for noise even when it is a
 * heartbeat: a device cannot tell 240 ms flutter from 240 ms interference.
 */
export const NOISE_INTERVAL_MAX_MS = 250;
export const NOISE_ONSET_MIN_MS = 300;

/** §4.8 markers as this project names them (docs/therapy.md, Markers), by channel. */
export const MARKER_CHANNELS: Readonly<Record<string, 'A' | 'V' | 'aug' | 'modifier' | 'state'>> = Object.freeze({
  AS: 'A', AP: 'A', AR: 'A', AN: 'A', AT: 'A',
  VS: 'V', VP: 'V', VR: 'V', VN: 'V', PVC: 'V',
  'ATR-Dur': 'aug', 'ATR-FB': 'aug', 'ATR-End': 'aug', PVP: 'aug', PMT: 'aug', VSP: 'aug',
  // §4.8 marker modifiers, each right after the pace it qualifies: hysteresis, sensor rate, smoothing up/down
  '-Hy': 'modifier', '-Sr': 'modifier', '↑': 'modifier', '↓': 'modifier',
  'MAG-ON': 'state', 'MAG-OFF': 'state', PRM: 'state', POR: 'state', SAFE: 'state', 'PACE-NOW': 'state',
});
