// The therapy self-test a trial image must pass before it confirms (docs/app.md).
import type { SelfTestResult } from '../bootloader/trial.js';
import type { Clock } from '../core/clock.js';
import { MARKER_HISTORY } from './supervisor.js';
import type { TherapySupervisor } from './supervisor.js';

/** Self-test: the machine must answer and show a ventricular event within this time (LRI 923 ms at POR, plus margin). */
export const SELF_TEST_WINDOW_MS = 3000;
const SELF_TEST_POLL_MS = 250;

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
      const ventricular = supervisor.markers(since, MARKER_HISTORY).markers.some((m) => m.type === 'VP' || m.type === 'VS');
      if (ventricular) return resolve({ passed: true, detail: 'therapy machine answers and paces or senses' });
      if (clock.now() - start >= SELF_TEST_WINDOW_MS) return resolve({ passed: false, detail: `no ventricular event within ${SELF_TEST_WINDOW_MS} ms` });
      clock.setTimeout(() => void check(), SELF_TEST_POLL_MS);
    };
    void check();
  });
}
