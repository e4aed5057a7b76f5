// Step 2 of the boot, after storage: the safe-mode rule across reboots. This boot is recorded in
// the persistent reset history (therapy-control/reset-history.ts), and the therapy machine, already pacing at the
// POR values, is told by message how many resets came before inside the window and whether safe
// mode was latched; it checks the message and latches itself. Afterwards the main side follows
// the marker stream: each later POR (a reset inside the therapy machine) is recorded too, a SAFE
// marker latches the persistent flag, and a clinician's successful clear-safe-mode opens it.
import type { Clock } from '../core/clock.js';
import type { Storage } from '../storage/storage.js';
import type { TherapySupervisor } from '../therapy-control/supervisor.js';
import { MARKER_HISTORY } from '../therapy-control/supervisor.js';
import { SAFE_MODE_WINDOW_MS } from '../therapy/therapy.js';
import { ResetHistory } from '../therapy-control/reset-history.js';
import { attempt, describeError } from './step.js';
import type { Say } from './step.js';
import { DEVICE_ACTOR } from './storage-start.js';
import type { TherapyPort } from '../therapy-control/commands.js';

export interface ResetTracking {
  readonly history: ResetHistory;
  /** The therapy port for the commands: a successful clear-safe-mode also opens the persistent latch. */
  commands(port: TherapyPort): TherapyPort;
  stop(): void;
}

const isReset = (type: string): boolean => type === 'POR' || type === 'SAFE';

export function trackResets(storage: Storage, therapy: TherapySupervisor, clock: Clock, say: Say): ResetTracking {
  const history = new ResetHistory(storage.counters, clock);
  const audit = (outcome: string, detail: string): void =>
    void attempt(say, 'audit', () => storage.log({ event: 'therapy.safe-mode', actor: DEVICE_ACTOR, outcome, detail }));

  const latchedBefore = history.latched();
  const boot = history.recordReset();
  say('therapy', `reset history: ${boot.prior + 1} reset(s) in the last ${SAFE_MODE_WINDOW_MS / 3_600_000} h of operation${boot.latched ? '; SAFE MODE latched until a clinician clears it' : ''}`);
  if (boot.latched) audit('latched', latchedBefore ? 'still latched at this boot' : `${boot.prior + 1} resets in the window`);
  if (therapy.mode === 'worker') {
    void therapy.request({ op: 'reset-history', prior: boot.prior, latched: boot.latched }).then((reply) => {
      if (!reply.ok) say('fault', `reset history not taken by therapy: ${reply.error.message}`);
    });
  }

  // The first POR/SAFE in the stream is this boot's own, recorded above; a SAFE after it may be the
  // machine's answer to a latched history. Any other is a reset inside the machine.
  let bootMarkerSeen = therapy.markers(0, MARKER_HISTORY).markers.some((m) => isReset(m.type));
  let answerPending = boot.latched;
  let clearedAt = -Infinity;
  const unsubscribe = therapy.onMarker((marker) => {
    if (!isReset(marker.type)) return;
    if (!bootMarkerSeen) return void (bootMarkerSeen = true);
    if (marker.type === 'SAFE' && answerPending) return void (answerPending = false);
    attempt(say, 'reset record', () => {
      const wasLatched = history.latched();
      history.recordReset();
      // The machine latched on its own count; a SAFE from before a clinician's clear is stale.
      if (marker.type === 'SAFE' && marker.t > clearedAt) history.latch();
      if (!wasLatched && history.latched()) audit('latched', `${marker.type} in the therapy machine`);
    });
  });

  history.keepTime((error) => say('fault', `operating time not saved: ${describeError(error)}`));

  return {
    history,
    commands: (port) => ({
      markers: (from, max) => port.markers(from, max),
      async request(body) {
        const reply = await port.request(body);
        if (reply.ok && body.op === 'clear-safe-mode') {
          clearedAt = clock.now();
          attempt(say, 'safe-mode clear', () => history.clear());
          audit('cleared', 'by clinician command');
          say('therapy', 'safe mode cleared by a clinician');
        }
        return reply;
      },
    }),
    stop() {
      unsubscribe();
      history.stop();
    },
  };
}
