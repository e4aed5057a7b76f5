// The assembled firmware (modules/app/firmware.ts) on a simulated board: boot order, pacing
// before anything else even with bad flash, a programmer session over the BLE shim, data across
// a reboot, backup pacing when the therapy machine dies, and a trial boot that confirms only
// after the therapy self-test.
// @req SAF-01 (docs/traceability.md)
import assert from 'node:assert/strict';
import { POLICY } from '../../modules/access/policy.js';
import { decodeDeviceInfo } from '../../modules/ble/device-info.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { BootRecordStore } from '../../modules/bootloader/boot-record.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap, CborValue } from '../../modules/core/cbor.js';
import { BACKUP_INTERVAL_MS } from '../../modules/therapy-control/backup-pacer.js';
import { HEARTBEAT_MS } from '../../modules/therapy/protocol.js';
import { SimulatedCentral } from '../../host/ble/radio.js';
import { image, makePackage } from '../../host/fixtures/update-fixture.js';
import { Prng } from '../../host/lib/prng.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';

/** Power-on reset pacing: VVI 65 ppm. The first pace is due within this bound of the boot. */
const LRI_MS = BACKUP_INTERVAL_MS;
const FIRST_PACE_BOUND_MS = LRI_MS + 1000;

function paceTimes(b: Booted, by: 'worker' | 'backup'): number[] {
  return b.paces.filter((p) => p.by === by && p.chamber === 'V').map((p) => p.t);
}

const diffs = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]);

function lines(b: Booted): string[] {
  return b.console.map((e) => `${e.topic}: ${e.text}`);
}

const clinicianSession = (b: Booted) => programmerSession(b);

describe('app: the assembled firmware on a simulated board', () => {
  it('starts therapy before storage, access and radio, and paces within LRI + 1 s', async () => {
    const b = new SimBoard().boot();
    const topics = b.console.map((e) => e.topic);
    assert.ok(topics.indexOf('therapy') < topics.indexOf('storage'), lines(b).join('\n'));
    assert.ok(topics.indexOf('storage') < topics.indexOf('access'));
    await run(b.clock, 3000);
    const paces = paceTimes(b, 'worker');
    assert.ok(paces.length >= 2 && paces[0] <= FIRST_PACE_BOUND_MS, `paces at ${paces}`);
    assert.equal(paces[1] - paces[0], LRI_MS, 'VVI 65 without sensing paces every 923 ms');
    assert.ok(b.firmware.storage && b.firmware.access && b.firmware.dispatcher);
    assert.ok(b.radio.advertising?.connectable, 'advertising connectably once the stack is ready');
    assert.ok(b.console.some((e) => e.topic === 'marker' && e.text.startsWith('VP')), 'markers reach the console');
    b.firmware.stop();
  });

  const badFlash: Array<[string, (board: SimBoard) => void, boolean]> = [
    ['empty (factory-new)', () => {}, true],
    ['full of garbage', (board) => board.storageFlash.cells.set(new Prng(99).bytes(board.storageFlash.size)), true],
    ['unusable (the partition cannot be opened)', (board) => void (board.storageFails = true), false],
  ];
  for (const [name, damage, usable] of badFlash) {
    it(`paces within LRI + 1 s with storage ${name}`, async () => {
      const board = new SimBoard();
      damage(board);
      const b = board.boot();
      await run(b.clock, 5000);
      const paces = paceTimes(b, 'worker');
      assert.ok(paces[0] <= FIRST_PACE_BOUND_MS, `first pace at ${paces[0]}`);
      assert.ok(paces.length >= 5, 'and keeps pacing');
      assert.equal(b.firmware.storage !== undefined, usable);
      assert.equal(b.radio.advertising !== undefined, usable, 'without storage the radio stays off');
      if (!usable) assert.ok(lines(b).some((l) => l.startsWith('fault: storage mount failed')), lines(b).join('\n'));
      b.firmware.stop();
    });
  }

  it('a clinician programmer connects over BLE, handshakes (IK) and interrogates', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    const s = await clinicianSession(b);
    const whoami = await settle(b.clock, s.client.request('access.whoami'));
    assert.equal((whoami.result as CborMap).get('role'), 'clinician');
    const interrogation = await settle(b.clock, s.client.request('therapy.interrogate'));
    assert.equal(interrogation.status, Status.OK);
    const result = interrogation.result as CborMap;
    assert.equal((result.get('engine') as CborMap).get('effectiveMode'), 'VVI', 'power-on reset pacing');
    assert.ok(lines(b).includes('session: session-opened (clinician)'), lines(b).join('\n'));
    s.central.disconnect();
    b.firmware.stop();
  });

  it("a clinician's permanent programming is saved and restored at the next boot", async () => {
    const board = new SimBoard();
    const first = board.boot();
    await run(first.clock, 1000);
    const s = await clinicianSession(first);
    first.firmware.access!.presence.set(true); // programming takes the magnet as a second factor
    const programmed = await settle(first.clock, s.client.request('therapy.program', new Map<string, CborValue>([['mode', 'VVI'], ['lrl', 70]])));
    assert.equal(programmed.status, Status.OK);
    await run(first.clock, 100);
    assert.ok(lines(first).includes('therapy: new parameters saved: VVI 70-120 ppm'), lines(first).join('\n'));
    first.firmware.stop();

    const second = board.boot();
    await run(second.clock, 3000);
    assert.ok(lines(second).includes('therapy: stored parameters restored: VVI 70-120 ppm'), lines(second).join('\n'));
    const paces = paceTimes(second, 'worker');
    assert.equal(paces.at(-1)! - paces.at(-2)!, Math.round(60000 / 70), 'pacing at the restored 70 ppm');
    second.firmware.stop();
  });

  it('temporary parameters end with the session that set them (PACEMAKER §3.6.2: broken telemetry link)', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    const s = await clinicianSession(b);
    b.firmware.access!.presence.set(true);
    const program = (name: string, lrl: number) => settle(b.clock, s.client.request(name, new Map<string, CborValue>([['mode', 'VVI'], ['lrl', lrl]])));
    assert.equal((await program('therapy.program', 60)).status, Status.OK);
    assert.equal((await program('therapy.program-temporary', 75)).status, Status.OK);
    b.firmware.access!.presence.set(false);
    await run(b.clock, 4000);
    assert.deepEqual(diffs(paceTimes(b, 'worker')).slice(-3), [800, 800, 800], 'temporary 75 ppm while the session lasts');
    s.central.disconnect();
    await run(b.clock, 5000);
    assert.deepEqual(diffs(paceTimes(b, 'worker')).slice(-3), [1000, 1000, 1000], 'back to the permanent 60 ppm once the link is gone');
    b.firmware.stop();
  });

  it('three boots within 48 h latch safe mode without delaying the first pace; the latch survives a reboot until a clinician clears it', async () => {
    const board = new SimBoard();
    const state = (b: Booted) => b.worker!.service.therapy.interrogate().state;
    const boot = async (): Promise<Booted> => {
      const b = board.boot();
      await run(b.clock, 3000);
      assert.ok(paceTimes(b, 'worker')[0] <= FIRST_PACE_BOUND_MS, 'first pace within LRI + 1 s');
      return b;
    };
    for (const expected of ['por', 'por']) {
      const b = await boot();
      assert.equal(state(b), expected);
      b.firmware.stop();
    }
    const third = await boot();
    assert.equal(state(third), 'safe');
    assert.ok(lines(third).includes('therapy: reset history: 3 reset(s) in the last 48 h of operation; SAFE MODE latched until a clinician clears it'), lines(third).join('\n'));
    assert.ok(lines(third).includes('marker: SAFE safe mode'));
    assert.deepEqual(diffs(paceTimes(third, 'worker')), [LRI_MS, LRI_MS], 'POR pacing throughout');
    third.firmware.stop();

    const fourth = await boot();
    assert.equal(state(fourth), 'safe', 'the latch survived the reboot');
    const s = await clinicianSession(fourth);
    fourth.firmware.access!.presence.set(true);
    assert.equal((await settle(fourth.clock, s.client.request('therapy.clear-safe-mode'))).status, Status.OK);
    assert.equal(state(fourth), 'por');
    assert.ok(lines(fourth).includes('therapy: safe mode cleared by a clinician'));
    assert.equal(fourth.firmware.storage!.audit.entries().filter((e) => e.event === 'therapy.safe-mode').map((e) => e.outcome).join(), 'latched,latched,cleared');
    s.central.disconnect();
    fourth.firmware.stop();

    const fifth = await boot();
    assert.equal(state(fifth), 'por', 'cleared for good: the resets before the clearing no longer count');
    fifth.firmware.stop();
  });

  it('resets inside the therapy machine count too: the third latches safe mode, and the latch is stored', async () => {
    const board = new SimBoard();
    const b = board.boot();
    await run(b.clock, 2000);
    const therapy = b.worker!.service.therapy;
    for (const expected of ['por', 'safe']) {
      // Corrupt the running set, as a RAM fault would: the integrity check resets the engine.
      (therapy as unknown as { engine: { active: { lrl: number } } }).engine.active.lrl = 175;
      await run(b.clock, 3000);
      assert.equal(therapy.interrogate().state, expected);
    }
    assert.equal(b.firmware.storage!.counters.get('resets'), 3, 'the boot and two resets in the machine');
    assert.equal(b.firmware.resets!.history.latched(), true);
    b.firmware.stop();
    const next = board.boot();
    await run(next.clock, 1000);
    assert.equal(next.worker!.service.therapy.interrogate().state, 'safe', 'still latched after a reboot');
    next.firmware.stop();
  });

  it('keeps its data across a reboot: boot counter, device key, audit trail', async () => {
    const board = new SimBoard();
    const first = board.boot();
    await run(first.clock, 2000);
    const storage1 = first.firmware.storage!;
    const key = first.firmware.access!.identity.identity().staticPublic;
    assert.equal(storage1.counters.get('boot'), 1);
    first.firmware.stop();

    const second = board.boot();
    await run(second.clock, 2000);
    const storage2 = second.firmware.storage!;
    assert.equal(storage2.counters.get('boot'), 2);
    assert.deepEqual(second.firmware.access!.identity.identity().staticPublic, key, 'the device identity was kept, not remade');
    const boots = storage2.audit.entries().filter((e) => e.event === 'device.boot');
    assert.deepEqual(boots.map((e) => e.detail?.split(';')[0]), ['boot 1', 'boot 2']);
    assert.ok(lines(second).some((l) => l.startsWith('storage: boot number 2 recorded')), lines(second).join('\n'));
    second.firmware.stop();
  });

  it('starts backup pacing when the therapy machine crashes', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 5000);
    const crashAt = b.clock.now();
    b.worker!.crash();
    await run(b.clock, 5000);
    const backup = paceTimes(b, 'backup');
    const lastWorkerPace = paceTimes(b, 'worker').at(-1)!;
    assert.equal(b.firmware.therapy.mode, 'backup');
    assert.ok(backup.length >= 3, `backup paces ${backup}`);
    // Silence of 3 heartbeats declares the machine dead; the pacer continues one interval after the last event.
    assert.ok(backup[0] - lastWorkerPace <= 3 * HEARTBEAT_MS + LRI_MS + 10, `gap ${backup[0] - lastWorkerPace} ms after crash at ${crashAt}`);
    assert.equal(backup[1] - backup[0], LRI_MS);
    assert.ok(lines(b).some((l) => l.startsWith('therapy: BACKUP PACING')));
    await run(b.clock, 1000); // the console copies streamed markers every 500 ms
    const vpLines = b.console.filter((e) => e.topic === 'marker' && e.text === 'VP ventricular pace' && e.t > crashAt).map((e) => e.t);
    assert.deepEqual(vpLines, paceTimes(b, 'backup'), 'each backup pace is a VP marker in the stream, at its time');
    // A sensed beat (outside the 320 ms refractory period) restarts the backup pacer's interval.
    if (b.clock.now() - paceTimes(b, 'backup').at(-1)! < 400) await run(b.clock, 400);
    b.senseV();
    const senseAt = b.clock.now();
    await run(b.clock, LRI_MS + 100);
    assert.deepEqual(paceTimes(b, 'backup').filter((t) => t > senseAt), [senseAt + LRI_MS]);
    b.firmware.stop();
  });

  it('paces on the backup pacer within LRI + 1 s when the therapy machine cannot start', async () => {
    const board = new SimBoard();
    board.workerFails = true;
    const b = board.boot();
    await run(b.clock, 3000);
    const backup = paceTimes(b, 'backup');
    assert.ok(backup[0] <= FIRST_PACE_BOUND_MS, `first backup pace at ${backup[0]}`);
    assert.equal(b.firmware.therapy.mode, 'backup');
    assert.ok(lines(b).some((l) => l === 'therapy: BACKUP PACING VVI 65 ppm: the therapy machine did not start: worker: module did not finish loading'), lines(b).join('\n'));
    assert.ok(!lines(b).some((l) => l.startsWith('therapy: therapy machine started')), 'no claim that the machine started');
    await run(b.clock, 1000); // the console copies streamed markers every 500 ms
    const vpLines = b.console.filter((e) => e.topic === 'marker' && e.text === 'VP ventricular pace' && e.t <= 3000).map((e) => e.t);
    assert.deepEqual(vpLines, backup, 'the backup paces stream to the console as markers');
    assert.ok(b.firmware.storage && b.radio.advertising, 'the rest of the firmware still starts');
    b.firmware.stop();
  });
});

describe('app: wiring', () => {
  it('registers exactly the commands the access policy table lists', () => {
    const b = new SimBoard({ banks: true }).boot();
    assert.deepEqual(b.firmware.dispatcher!.names(), Object.keys(POLICY).sort());
    b.firmware.stop();
  });

  it('a build whose config names no board starts no updates (images are per board) and still paces and advertises', async () => {
    const b = new SimBoard({ banks: true, board: 'unnamed' }).boot();
    await run(b.clock, 2000);
    assert.equal(b.firmware.update, undefined);
    assert.ok(lines(b).includes('update: firmware updates are not supported on this platform'), lines(b).join('\n'));
    assert.ok(paceTimes(b, 'worker').length > 0 && b.radio.advertising?.connectable);
    assert.ok(!b.firmware.dispatcher!.names().some((n) => n.startsWith('ota.')), 'no update commands');
    b.firmware.stop();
  });

  it('the button opens the pairing window, on the console only (device information stays the same); the case switch is audited', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const central = new SimulatedCentral(b.radio);
    central.connect();
    const info = () => decodeDeviceInfo(central.read(IMPLANT_GATT.deviceInfo))!;
    const before = info();
    b.button(true);
    await run(b.clock, 3500);
    b.button(false);
    assert.deepEqual(info(), before);
    assert.ok(lines(b).includes('access: pairing window open'), lines(b).join('\n'));
    b.openCase();
    assert.ok(lines(b).some((l) => l.startsWith('access: TAMPER')));
    assert.ok(b.firmware.storage!.audit.entries().some((e) => e.event === 'tamper'));
    central.disconnect();
    b.firmware.stop();
  });
});

describe('app: trial boot of a new image', () => {
  function updatedBoard(): SimBoard {
    const board = new SimBoard({ banks: true });
    board.install(makePackage({ version: [1, 0, 0], counter: 1, image: image(1, 4096) }), 0);
    board.install(makePackage({ version: [1, 1, 0], counter: 2, image: image(2, 4096) }), 1);
    new BootRecordStore(board.bootArea).write({ state: 'pending', confirmed: 0, trial: 1, note: 'activated' });
    return board;
  }

  it('confirms only after the therapy self-test passes, then raises the security counter', async () => {
    const board = updatedBoard();
    const b = board.boot();
    assert.equal(b.firmware.update!.status().state, 'trial');
    let outcome: string | undefined;
    void b.firmware.trial.then((o) => void (outcome = o));
    await run(b.clock, 200);
    assert.equal(outcome, undefined, 'not confirmed at start-up: the self-test needs a ventricular event first');
    await run(b.clock, 3000);
    assert.equal(outcome, 'confirmed');
    assert.equal(b.firmware.storage!.counters.get('security'), 2);
    assert.equal(new BootRecordStore(board.bootArea).read().state, 'confirmed');
    assert.ok(lines(b).includes('update: trial boot confirmed'), lines(b).join('\n'));
    b.firmware.stop();
  });

  it('reverts and restarts when the therapy machine is down during the trial', async () => {
    const board = updatedBoard();
    board.workerFails = true;
    const b = board.boot();
    const outcome = await settle(b.clock, b.firmware.trial);
    assert.equal(outcome, 'reverted');
    assert.equal(b.restarts, 1);
    assert.equal(b.firmware.storage!.counters.get('security'), 0, 'the counter rises only at confirm');
    b.firmware.stop();
  });
});
