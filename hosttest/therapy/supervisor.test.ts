// The supervisor on a virtual clock: a therapy machine that cannot even be created starts backup
// pacing at once, and the backup pacer's events reach the same marker stream as the machine's.
// @req SAF-02 (docs/traceability.md)
import assert from 'node:assert/strict';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import { BACKUP_INTERVAL_MS, BACKUP_VRP_MS } from '../../modules/therapy-control/backup-pacer.js';
import type { Marker } from '../../modules/therapy/markers.js';
import { TherapySupervisor } from '../../modules/therapy-control/supervisor.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

function failingSupervisor(clock: VirtualClock) {
  const paces: number[] = [];
  const reasons: string[] = [];
  const streamed: Marker[] = [];
  let sense: () => void = () => {};
  const supervisor = new TherapySupervisor({
    clock,
    createWorker: () => {
      throw new Error('worker: module did not finish loading');
    },
    openBackupIO: () => ({ paceTimer: new ClockPaceTimer(clock, () => void paces.push(clock.now())), onVentricularSense: (h) => void (sense = h) }),
    onBackup: (reason) => void reasons.push(reason),
  });
  supervisor.onMarker((m) => void streamed.push(m));
  return { supervisor, paces, reasons, streamed, sense: () => sense() };
}

describe('therapy supervisor', () => {
  it('starts backup pacing at once when the worker factory throws', async () => {
    const clock = new VirtualClock(0);
    const { supervisor, paces, reasons } = failingSupervisor(clock);
    assert.equal(supervisor.mode, 'backup');
    assert.deepEqual(reasons, ['the therapy machine did not start: worker: module did not finish loading']);
    const reply = await supervisor.request({ op: 'interrogate' });
    assert.equal(!reply.ok && reply.error.code, 'unavailable');
    clock.runUntil(3 * BACKUP_INTERVAL_MS);
    assert.deepEqual(paces, [1, 2, 3].map((k) => k * BACKUP_INTERVAL_MS), 'first pace one POR interval after the start');
    assert.equal(reasons.length, 1);
    supervisor.close();
  });

  it('streams the backup pacer\'s VP, VS and VR markers through the marker history and listeners', () => {
    const clock = new VirtualClock(0);
    const { supervisor, streamed, sense } = failingSupervisor(clock);
    clock.runUntil(BACKUP_INTERVAL_MS);
    clock.advance(BACKUP_VRP_MS - 20);
    sense(); // inside the VRP: refractory
    clock.advance(200);
    sense(); // outside: inhibits and restarts the interval
    const sensedAt = clock.now();
    clock.runUntil(sensedAt + BACKUP_INTERVAL_MS);
    const expected: Marker[] = [
      { t: BACKUP_INTERVAL_MS, type: 'VP' },
      { t: BACKUP_INTERVAL_MS + BACKUP_VRP_MS - 20, type: 'VR' },
      { t: sensedAt, type: 'VS' },
      { t: sensedAt + BACKUP_INTERVAL_MS, type: 'VP' },
    ];
    assert.deepEqual(streamed, expected);
    assert.deepEqual(supervisor.markers(0, 64), { seq: 0, markers: expected });
    supervisor.close();
  });
});
