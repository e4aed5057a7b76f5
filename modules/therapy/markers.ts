// Event markers (PACEMAKER spec §4.8, Table 5), one per event, with a 1 ms timestamp.

export const MARKER_TYPES = Object.freeze([
  // atrial channel: sense, pace, refractory sense "(AS)", noise sense (spec "TN")
  'AS', 'AP', 'AR', 'AN',
  // ventricular channel: sense, pace, refractory sense "(VS)", noise sense (spec "TN"), premature ventricular contraction
  'VS', 'VP', 'VR', 'VN', 'PVC',
  // augmentation channel: ATR onset, fallback, end; PVARP extension ("PVP→"); PMT termination
  'ATR-Dur', 'ATR-FB', 'ATR-End', 'PVP', 'PMT',
  // state changes: magnet applied / removed, parameter set applied, power-on reset, safe mode, Pace-Now
  'MAG-ON', 'MAG-OFF', 'PRM', 'POR', 'SAFE', 'PACE-NOW',
] as const);

export type MarkerType = (typeof MARKER_TYPES)[number];

export interface Marker {
  readonly t: number;
  readonly type: MarkerType;
}

export type Chamber = 'A' | 'V';

/** Which channel a marker belongs to; the spec allows one atrial, one ventricular and one augmentation marker per ms. */
export function channelOf(type: MarkerType): 'A' | 'V' | 'aug' | 'state' {
  if (type === 'AS' || type === 'AP' || type === 'AR' || type === 'AN') return 'A';
  if (type === 'VS' || type === 'VP' || type === 'VR' || type === 'VN' || type === 'PVC') return 'V';
  if (type === 'ATR-Dur' || type === 'ATR-FB' || type === 'ATR-End' || type === 'PVP' || type === 'PMT') return 'aug';
  return 'state';
}

export function isMarkerType(value: unknown): value is MarkerType {
  return typeof value === 'string' && (MARKER_TYPES as readonly string[]).includes(value);
}
