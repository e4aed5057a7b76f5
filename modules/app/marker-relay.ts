// The therapy machine's markers on the console: streaming is switched on at boot and the
// supervisor's marker history is copied out as it grows, one line per marker with the therapy
// machine's own timestamp.
import type { Clock } from '../core/clock.js';
import type { Marker, MarkerType } from '../therapy/markers.js';
import type { TherapySupervisor } from '../therapy-control/supervisor.js';
import type { Say } from './step.js';

/** Console words for the markers a newcomer sees most (the others print as their code). */
const MARKER_WORDS: Readonly<Partial<Record<MarkerType, string>>> = Object.freeze({
  AS: 'atrial sense', AP: 'atrial pace', AR: 'atrial sense in refractory', AN: 'atrial noise',
  VS: 'ventricular sense', VP: 'ventricular pace', VR: 'ventricular sense in refractory', VN: 'ventricular noise',
  PVC: 'premature ventricular contraction', 'MAG-ON': 'magnet applied', 'MAG-OFF': 'magnet removed',
  PRM: 'new parameters applied', POR: 'power-on reset values', SAFE: 'safe mode', 'PACE-NOW': 'Pace-Now',
});

/** How often streamed markers are copied to the console. */
export const MARKER_POLL_MS = 500;

export function describeMarker(marker: Marker): string {
  const words = MARKER_WORDS[marker.type];
  return words ? `${marker.type} ${words}` : marker.type;
}

/** Copies the therapy machine's markers to the console as they stream in; returns a stop function. */
export function relayMarkers(supervisor: TherapySupervisor, clock: Clock, say: Say): () => void {
  let next = 0;
  let timer = clock.setTimeout(poll, MARKER_POLL_MS);
  void supervisor.request({ op: 'markers', on: true }).then((reply) => {
    if (!reply.ok) say('fault', `marker stream refused: ${reply.error.message}`);
  });
  function poll(): void {
    const { seq, markers } = supervisor.markers(next, 64);
    if (seq > next) say('fault', `${seq - next} markers not shown (console fell behind)`);
    for (const marker of markers) say('marker', describeMarker(marker), marker.t);
    next = seq + markers.length;
    timer = clock.setTimeout(poll, MARKER_POLL_MS);
  }
  return () => clock.clearTimeout(timer);
}
