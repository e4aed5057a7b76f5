// Event markers (PACEMAKER spec §4.8, Table 5), one per event, with a 1 ms timestamp.
// New types go at the end: the worker streams a marker as its index in this list.

export const MARKER_TYPES = Object.freeze([
  // atrial channel: sense, pace, refractory sense "(AS)", noise sense (spec "TN")
  'AS', 'AP', 'AR', 'AN',
  // ventricular channel: sense, pace, refractory sense "(VS)", noise sense (spec "TN"), premature ventricular contraction
  'VS', 'VP', 'VR', 'VN', 'PVC',
  // augmentation channel: ATR onset, fallback, end; PVARP extension ("PVP→"); PMT termination
  'ATR-Dur', 'ATR-FB', 'ATR-End', 'PVP', 'PMT',
  // state changes: magnet applied / removed, parameter set applied, power-on reset, safe mode, Pace-Now
  'MAG-ON', 'MAG-OFF', 'PRM', 'POR', 'SAFE', 'PACE-NOW',
  // atrial channel: a non-refractory atrial sense faster than the URL (spec "AT")
  'AT',
  // augmentation channel: a ventricular sense in the safety window after an atrial pace; a safety pace follows
  'VSP',
  // modifiers of the pace marker just before them (same ms): hysteresis pace, sensor-rate pace,
  // rate-smoothing pace while the rate rises (held back, ↑) or falls (held up, ↓)
  '-Hy', '-Sr', '↑', '↓',
] as const);

export type MarkerType = (typeof MARKER_TYPES)[number];

export interface Marker {
  readonly t: number;
  readonly type: MarkerType;
}

export type Chamber = 'A' | 'V';

const ATRIAL: readonly string[] = Object.freeze(['AS', 'AP', 'AR', 'AN', 'AT']);
const VENTRICULAR: readonly string[] = Object.freeze(['VS', 'VP', 'VR', 'VN', 'PVC']);
const AUGMENTATION: readonly string[] = Object.freeze(['ATR-Dur', 'ATR-FB', 'ATR-End', 'PVP', 'PMT', 'VSP']);
const MODIFIERS: readonly string[] = Object.freeze(['-Hy', '-Sr', '↑', '↓']);

/**
 * Which channel a marker belongs to; the spec allows one atrial, one ventricular and one
 * augmentation marker per ms. A modifier belongs to the pace marker it follows.
 */
export function channelOf(type: MarkerType): 'A' | 'V' | 'aug' | 'modifier' | 'state' {
  if (ATRIAL.includes(type)) return 'A';
  if (VENTRICULAR.includes(type)) return 'V';
  if (AUGMENTATION.includes(type)) return 'aug';
  if (MODIFIERS.includes(type)) return 'modifier';
  return 'state';
}

export function isMarkerType(value: unknown): value is MarkerType {
  return typeof value === 'string' && (MARKER_TYPES as readonly string[]).includes(value);
}
