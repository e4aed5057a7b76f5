// Therapy in its own machine: a worker thread paces a virtual heart and keeps its timing while the
// main thread is saturated with Noise handshakes and flash work; when the worker dies, the main
// side's backup pacer takes over within the POR budget.
import assert from 'node:assert/strict';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import Worker from 'worker';
import { HandshakeState } from '../../modules/channel/noise/handshake-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import { TherapySupervisor } from '../../modules/therapy-control/supervisor.js';
import { BACKUP_INTERVAL_MS } from '../../modules/therapy-control/backup-pacer.js';
import { checkTrace } from '../../host/heart/checker.js';
import { WallClock } from '../../host/shims/host/wall-clock.js';
import { NorFlash } from '../../host/sim/nor-flash.js';

/** Timer lateness a loaded host may add to a worker thread (see the first test). */
const HOST_JITTER_MS = 50;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One Noise XX handshake between two in-process parties, as the main machine runs them. */
function handshake(): void {
  const suite = noiseSuite(nobleProvider, 'AESGCM');
  const prologue = new Uint8Array(0);
  const i = new HandshakeState({ suite, pattern: 'XX', initiator: true, prologue, staticKey: suite.generateKeyPair() });
  const r = new HandshakeState({ suite, pattern: 'XX', initiator: false, prologue, staticKey: suite.generateKeyPair() });
  r.readMessage(i.writeMessage(new Uint8Array(0)));
  i.readMessage(r.writeMessage(new Uint8Array(0)));
  r.readMessage(i.writeMessage(new Uint8Array(0)));
}

/** Erases and reprograms flash blocks: the record store's worst case. */
function flashWork(flash: NorFlash, round: number): void {
  const block = round % (flash.size / flash.eraseSize);
  flash.eraseBlock(block);
  flash.program(block * flash.eraseSize, new Uint8Array(flash.eraseSize).fill(round & 0xff));
}

describe('therapy worker: its own machine', function () {
  this.timeout(60_000);

  // A worker sharing the main thread would stop for the whole 4 s block. On a quiet host the worker
  // holds the spec's ±8 ms; a shared CI host adds scheduling noise of its own, so the check allows
  // HOST_JITTER_MS and prints the error it measured. The ±8 ms budget on the board is measured at
  // the pace pin (docs/therapy.md, "Bring-up").
  it('keeps its timing while the main thread is busy with handshakes and flash', async () => {
    const clock = new WallClock();
    const backups: string[] = [];
    const supervisor = new TherapySupervisor({
      clock,
      createWorker: () => new Worker('hosttest/therapy/workers/heart-worker'),
      openBackupIO: () => assert.fail('backup pacing started'),
      onBackup: (reason) => backups.push(reason),
      timeoutMs: 2000, // shorter than the 4 s block: the watchdog must tell a busy main side from a dead worker
    });
    try {
      const reply = await supervisor.request({ op: 'program', target: 'permanent', changes: { mode: 'DDD' } });
      assert.ok(reply.ok, JSON.stringify(reply));
      await sleep(1500);
      const flash = new NorFlash({ size: 64 * 1024, eraseSize: 4096, writeSize: 4 });
      const start = Date.now();
      let handshakes = 0, rounds = 0;
      while (Date.now() - start < 4000) {
        handshake();
        handshakes++;
        for (let k = 0; k < 4; k++) flashWork(flash, rounds++);
      }
      const busyMs = Date.now() - start;
      await sleep(1500);
      const { markers } = supervisor.markers(0, 10_000);
      assert.ok(markers.length > 10, `only ${markers.length} markers`);
      const verdict = checkTrace(markers, { programs: [{ ...NOMINAL, mode: 'DDD' }], endMs: markers.at(-1)!.t, toleranceMs: HOST_JITTER_MS, inputs: [] });
      assert.equal(verdict.verdict, 'pass', JSON.stringify(verdict.violations.slice(0, 3)));
      const av = markers.flatMap((m, i) => (m.type === 'VP' && markers[i - 1]?.type === 'AS' ? [m.t - markers[i - 1].t - 150] : []));
      console.log(`      main thread blocked ${busyMs} ms (${handshakes} XX handshakes, ${rounds} flash erase+program); `
        + `${markers.length} markers; tracked AV delay error max ${Math.max(...av)} ms over ${av.length} beats`);
      assert.ok(av.length > 5 && Math.max(...av) <= HOST_JITTER_MS);
      assert.equal(supervisor.mode, 'worker');
      assert.deepEqual(backups, []);
    } finally {
      supervisor.close();
    }
  });

  it('when the worker dies, backup VVI pacing starts within the POR budget and requests are refused', async () => {
    const clock = new WallClock();
    let worker: Worker | undefined;
    const paces: number[] = [];
    let sense: (() => void) | undefined;
    const reasons: string[] = [];
    const supervisor = new TherapySupervisor({
      clock,
      createWorker: () => (worker = new Worker('hosttest/therapy/workers/dying-worker')),
      openBackupIO: () => ({ paceTimer: new ClockPaceTimer(clock, () => void paces.push(clock.now())), onVentricularSense: (h) => (sense = h) }),
      onBackup: (reason) => reasons.push(reason),
    });
    try {
      assert.ok((await supervisor.request({ op: 'interrogate' })).ok);
      await sleep(500);
      const death = clock.now();
      worker!.postMessage({ op: 'die', afterMs: 0 });
      await sleep(2800);
      assert.equal(supervisor.mode, 'backup');
      assert.match(reasons[0], /no heartbeat/);
      assert.ok(paces.length >= 2, `paces ${paces}`);
      assert.ok(paces[0] - death <= BACKUP_INTERVAL_MS + 1000, `first backup pace ${paces[0] - death} ms after the fault`);
      for (let k = 1; k < paces.length; k++) assert.ok(Math.abs(paces[k] - paces[k - 1] - BACKUP_INTERVAL_MS) <= HOST_JITTER_MS);
      const refused = await supervisor.request({ op: 'interrogate' });
      assert.ok(!refused.ok && refused.error.code === 'unavailable');
      await sleep(400);
      const sensedAt = clock.now();
      sense!();
      const before = paces.length;
      await sleep(BACKUP_INTERVAL_MS + 100);
      assert.equal(paces.length, before + 1);
      assert.ok(Math.abs(paces.at(-1)! - sensedAt - BACKUP_INTERVAL_MS) <= HOST_JITTER_MS, 'a sense restarts the backup interval');
    } finally {
      supervisor.close();
    }
  });

  it('the worker rejects malformed messages inside its machine and keeps pacing', async () => {
    const clock = new WallClock();
    let worker: Worker | undefined;
    const replies: any[] = [];
    const supervisor = new TherapySupervisor({
      clock,
      createWorker: () => (worker = new Worker('hosttest/therapy/workers/heart-worker')),
      openBackupIO: () => assert.fail('backup pacing started'),
      timeoutMs: 2000,
    });
    try {
      const own = worker!.onmessage!;
      worker!.onmessage = (m) => {
        if (m && typeof m === 'object' && m.ok === false) replies.push(m);
        own(m);
      };
      worker!.postMessage({ id: 900, op: 'program', target: 'permanent', changes: { lrl: 250 } });
      worker!.postMessage({ id: 901, op: 'program', target: 'everything', changes: {} });
      worker!.postMessage('DROP TABLE therapy');
      await sleep(300);
      assert.deepEqual(replies.map((r) => [r.id, r.ok, r.error?.code, r.error?.parameter]), [
        [900, false, 'range', 'lrl'], [901, false, 'bad-message', 'target'], [0, false, 'bad-message', ''],
      ]);
      const state = await supervisor.request({ op: 'interrogate' });
      assert.ok(state.ok);
      assert.equal((state.result as { permanent: { lrl: number } }).permanent.lrl, 60);
    } finally {
      supervisor.close();
    }
  });
});
