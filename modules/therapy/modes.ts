// Pacing modes and what their NBG letters mean (PACEMAKER spec §3.5, Table 2).

const PROGRAMMABLE = [
  'Off', 'AOO', 'VOO', 'AAI', 'VVI', 'AAT', 'VVT', 'DOO', 'DDI', 'VDD', 'DDD',
  'AOOR', 'VOOR', 'AAIR', 'VVIR', 'DOOR', 'DDIR', 'VDDR', 'DDDR',
] as const;
const TEMPORARY_ONLY = ['OAO', 'OVO', 'ODO', 'OOO'] as const;

export type Mode = (typeof PROGRAMMABLE)[number] | (typeof TEMPORARY_ONLY)[number];

/** Programmable modes (§3.5, Table 2; Appendix A Table 7), for the permanent and the temporary set. */
export const PROGRAMMABLE_MODES: readonly Mode[] = Object.freeze(PROGRAMMABLE.slice());

/** Sensing-only modes the spec allows in temporary operation only (§3.5, Table 2). */
export const TEMPORARY_ONLY_MODES: readonly Mode[] = Object.freeze(TEMPORARY_ONLY.slice());

/** Every mode of the spec: the 19 programmable ones and the 4 temporary-only ones. */
export const ALL_MODES: readonly Mode[] = Object.freeze([...PROGRAMMABLE, ...TEMPORARY_ONLY]);

export type Letter = 'O' | 'A' | 'V' | 'D';

export interface ModeLetters {
  /** Chamber(s) paced (position I). */
  readonly paced: Letter;
  /** Chamber(s) sensed (position II). */
  readonly sensed: Letter;
  /** Response to sensing (position III): O none, I inhibited, T triggered, D inhibited and tracked. */
  readonly response: 'O' | 'I' | 'T' | 'D';
  /** Rate modulation from the activity sensor (position IV). */
  readonly rateAdaptive: boolean;
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (ALL_MODES as readonly string[]).includes(value);
}

export function isTemporaryOnly(mode: Mode): boolean {
  return TEMPORARY_ONLY_MODES.includes(mode);
}

export function lettersOf(mode: Mode): ModeLetters {
  if (mode === 'Off') return { paced: 'O', sensed: 'O', response: 'O', rateAdaptive: false };
  return {
    paced: mode[0] as Letter,
    sensed: mode[1] as Letter,
    response: mode[2] as ModeLetters['response'],
    rateAdaptive: mode.length === 4,
  };
}

export const pacesAtrium = (l: ModeLetters): boolean => l.paced === 'A' || l.paced === 'D';
export const pacesVentricle = (l: ModeLetters): boolean => l.paced === 'V' || l.paced === 'D';
export const sensesAtrium = (l: ModeLetters): boolean => l.sensed === 'A' || l.sensed === 'D';
export const sensesVentricle = (l: ModeLetters): boolean => l.sensed === 'V' || l.sensed === 'D';
/** Single-chamber atrial modes time their cycle from atrial events; all others from ventricular events (§5.1). */
export const atrialTimed = (l: ModeLetters): boolean => l.paced === 'A';
/** Modes in which an atrial sense starts an AV delay ending in a tracked ventricular pace (§3.5.4). */
export const tracks = (l: ModeLetters): boolean => l.response === 'D' && sensesAtrium(l) && pacesVentricle(l);
/** Inhibiting and tracking modes (§5.8: the only ones with hysteresis). */
export const inhibits = (l: ModeLetters): boolean => l.response === 'I' || l.response === 'D';

/** The asynchronous mode of the magnet test (§3.7): AOO, VOO or DOO by chamber paced, OOO for OXO. */
export function asynchronousFor(mode: Mode): Mode {
  const l = lettersOf(mode);
  if (l.paced === 'A') return 'AOO';
  if (l.paced === 'V') return 'VOO';
  if (l.paced === 'D') return 'DOO';
  return mode === 'Off' ? 'Off' : 'OOO';
}
