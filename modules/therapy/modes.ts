// Pacing modes and what their NBG letters mean (PACEMAKER spec §3.5, Table 2).

export const PROGRAMMABLE_MODES = Object.freeze([
  'Off', 'AOO', 'VOO', 'AAI', 'VVI', 'AAT', 'VVT', 'DOO', 'DDI', 'VDD', 'DDD', 'AOOR', 'VVIR', 'DDDR',
] as const);

/** The modes this engine implements. VDDR, DDIR, DOOR, AAIR and VOOR are in the spec but not built (docs/therapy.md). */
export type Mode = (typeof PROGRAMMABLE_MODES)[number];

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
  return typeof value === 'string' && (PROGRAMMABLE_MODES as readonly string[]).includes(value);
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

/** The asynchronous mode the magnet test (§3.7) and noise reversion (§5.5) fall back to. */
export function asynchronousFor(mode: Mode): Mode {
  const l = lettersOf(mode);
  if (l.paced === 'A') return 'AOO';
  if (l.paced === 'V') return 'VOO';
  if (l.paced === 'D') return 'DOO';
  return 'Off';
}
