// Therapy comes first at every boot: this starts the therapy machine before anything touches
// storage, the radio or crypto, so the first pace never waits on them. A machine that cannot
// even start counts as a dead one: the supervisor's watchdog switches to backup pacing. Markers
// go to the console; the self-test that a trial image must pass before it confirms lives here.
import type { Clock } from '../core/clock.js';
import type { SelfTestResult } from '../bootloader/trial.js';
import type { Marker, MarkerType } from '../therapy/markers.js';
import { MARKER_HISTORY, TherapySupervisor } from '../therapy/supervisor.js';
import type { WorkerPort } from '../therapy/supervisor.js';
import type { FirmwarePlatform } from './platform.js';
import { describeError } from './step.js';
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
/** Self-test: the machine must answer and show a ventricular event within this time (LRI 923 ms at POR, plus margin). */
export const SELF_TEST_WINDOW_MS = 3000;
const SELF_TEST_POLL_MS = 250;

export function describeMarker(marker: Marker): string {
  const words = MARKER_WORDS[marker.type];
  return words ? `${marker.type} ${words}` : marker.type;
}

/** A port to a machine that never started: it takes no messages and never beats. */
function deadWorker(): WorkerPort {
  return {
    onmessage: null,
    postMessage: () => {
      throw new Error('worker terminated');
    },
    terminate: () => {},
  };
}

export function startTherapy(platform: FirmwarePlatform, say: Say): TherapySupervisor {
  const supervisor = new TherapySupervisor({
    clock: platform.clock,
    createWorker: () => {
      try {
        return platform.createTherapyWorker();
      } catch (error) {
        say('fault', `therapy machine did not start (${describeError(error)}); backup pacing follows`);
        return deadWorker();
      }
    },
    openBackupIO: () => {
      try {
        return platform.openBackupIO();
      } catch (error) {
        say('fault', `BACKUP PACER HAS NO PINS (${describeError(error)}): no pacing output`);
        return { pace: () => {}, onVentricularSense: () => {} };
      }
    },
    onBackup: (reason) => say('therapy', `BACKUP PACING VVI 65 ppm: therapy machine stopped (${reason})`),
  });
  return supervisor;
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

/**
 * The therapy self-test a trial image must pass before it confirms: the therapy machine (not
 * the backup pacer) answers an interrogation, is not latched in safe mode, and produces a
 * ventricular event, paced or sensed, within SELF_TEST_WINDOW_MS of the test's start (markers
 * must be streaming: relayMarkers). Resolves, never rejects.
 */
export function therapySelfTest(supervisor: TherapySupervisor, clock: Clock): Promise<SelfTestResult> {
  const start = clock.now();
  const held = supervisor.markers(0, MARKER_HISTORY);
  const since = held.seq + held.markers.length;
  return new Promise((resolve) => {
    const check = async (): Promise<void> => {
      if (supervisor.mode !== 'worker') return resolve({ passed: false, detail: 'therapy runs on the backup pacer' });
      const reply = await supervisor.request({ op: 'interrogate' });
      if (!reply.ok) return resolve({ passed: false, detail: `interrogation failed: ${reply.error.message}` });
      if ((reply.result as { state?: string } | undefined)?.state === 'safe') return resolve({ passed: false, detail: 'therapy latched safe mode' });
      const ventricular = supervisor.markers(since, 1024).markers.some((m) => m.type === 'VP' || m.type === 'VS');
      if (ventricular) return resolve({ passed: true, detail: 'therapy machine answers and paces or senses' });
      if (clock.now() - start >= SELF_TEST_WINDOW_MS) return resolve({ passed: false, detail: `no ventricular event within ${SELF_TEST_WINDOW_MS} ms` });
      clock.setTimeout(() => void check(), SELF_TEST_POLL_MS);
    };
    void check();
  });
}
