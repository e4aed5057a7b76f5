// Pacing through flash stalls, through the assembled firmware (SimBoard → startFirmware): every
// erase and program stalls the CPU for its datasheet time (host/sim/cpu-stall.ts), during which no
// JavaScript of either machine runs, while the pace timer peripheral keeps its times. Judged on
// the pace pin record (what a logic analyser sees), by a check that shares nothing with the
// engine, on a heart that never beats: in POR (VVI 65 ppm) each pace comes exactly 923 ms after
// the previous one; in DDD 60 with a 150 ms AV delay each V pace 150 ms after its A pace and each
// A pace 850 ms after the V pace before. The same runs on the path before the pace timer (a
// JavaScript timer per pace, pacePath 'js-timer') show late paces.
// @req SAF-09 (docs/traceability.md)
import assert from 'node:assert/strict';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { Status } from '../../modules/channel/status.js';
import type { CborValue } from '../../modules/core/cbor.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { sendUpdate } from '../../programmer/ota-client.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted, BoardOptions } from '../../host/board/sim-board.js';
import { image, makePackage } from '../../host/fixtures/update-fixture.js';

const BLOCK = 4096;
/** The interval from a pace in one chamber to the next pace (in `to`), for a heart that never beats. */
type Expected = (from: Chamber, to: Chamber) => number;
/** POR: VVI at 65 ppm, 60000 / 65 to the ms (PACEMAKER spec §3.6.5). */
const POR_VVI: Expected = () => 923;
/** DDD at 60 ppm with a 150 ms AV delay: A→V 150 ms, V→A 1000 − 150 ms. */
const DDD_60: Expected = (from, to) => (from === 'A' && to === 'V' ? 150 : from === 'V' && to === 'A' ? 850 : NaN);
const FOR_BOARD = { vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS.esp32)! };

interface Judged {
  /** Pulses between `from` and `to`. */
  paces: number;
  /** The V pulses' times on the pin. */
  pulses: number[];
  /** Pulses more than 0 ms off the expected interval from the one before. */
  off: { t: number; interval: number; expected: number }[];
  /** Pulses that went out while the CPU was stalled. */
  duringStall: number;
  /** Stalled ms in the window. */
  stalledMs: number;
  erases: number;
  /** VP markers the therapy machine streamed in the window (after a stall, late, with the pulse's time). */
  vpMarkers: number[];
}

/** The independent check: each pulse on the pin comes the expected interval after the one before; only the therapy machine paces. */
function judge(b: Booted, expected: Expected, vp: number[], from: number, to: number, erasesBefore: number, erases: number): Judged {
  const pulses = b.paces.filter((p) => p.t >= from && p.t <= to);
  assert.ok(pulses.every((p) => p.by === 'worker'), 'the therapy machine paces');
  const times = pulses.map((p) => p.t);
  const off = pulses.slice(1).map((p, i) => ({ t: p.t, interval: p.t - times[i], expected: expected(pulses[i].chamber, p.chamber) }))
    .filter((x) => x.interval !== x.expected);
  const vTimes = pulses.filter((p) => p.chamber === 'V').map((p) => p.t);
  const stalls = b.stalls.filter(([start]) => start >= from && start <= to);
  const duringStall = times.filter((t) => stalls.some(([s, e]) => t > s && t < e)).length;
  const vpMarkers = vp.filter((t) => t >= from && t <= to);
  return { paces: times.length, pulses: vTimes, off, duringStall, stalledMs: stalls.reduce((sum, [s, e]) => sum + e - s, 0), erases: erases - erasesBefore, vpMarkers };
}

/** The VP markers of the firmware's marker stream, as the console and therapy.markers show them. */
function vpTimes(b: Booted): number[] {
  const times: number[] = [];
  b.firmware.therapy.onMarker((m) => m.type === 'VP' && times.push(m.t));
  return times;
}

/** A signed update of `blocks` erase blocks streamed by a manufacturer with presence held (docs/bootloader.md). */
async function update(pacePath: BoardOptions['pacePath']): Promise<Judged> {
  const blocks = 96;
  const board = new SimBoard({ banks: true, bankBlocks: blocks + 2, pacePath });
  board.install(makePackage({ ...FOR_BOARD, version: [1, 0, 0], counter: 3, image: image(1, 2 * BLOCK) }), 0);
  const b = board.boot();
  const vp = vpTimes(b);
  await run(b.clock, 1000);
  b.button(true);
  const from = b.clock.now();
  const erasesBefore = board.bankFlash!.erases;
  const pkg = makePackage({ ...FOR_BOARD, version: [1, 1, 0], counter: 4, image: image(9, blocks * BLOCK - 100) });
  const session = await programmerSession(b, programmerIdentity('manufacturer', 11));
  await settle(b.clock, sendUpdate(pkg, { connect: async () => session.client }), 120_000);
  const to = b.clock.now();
  await session.close();
  b.firmware.stop();
  return judge(b, POR_VVI, vp, from, to, erasesBefore, board.bankFlash!.erases);
}

/** A clinician programs DDD 60 with a 150 ms AV delay (the magnet held as the second factor, then released). */
async function programDdd(b: Booted): Promise<void> {
  const s = await programmerSession(b);
  b.firmware.access!.presence.set(true);
  const changes = new Map<string, CborValue>([['mode', 'DDD'], ['lrl', 60], ['avDelay', 150]]);
  assert.equal((await s.call('therapy.program', changes)).status, Status.OK);
  b.firmware.access!.presence.set(false);
  await s.close();
  await run(b.clock, 3000); // the new set from the next boundary on
}

/** Storage GC: the firmware's record store and audit log written on the main machine until both compact several times. */
async function storageGc(board: 'esp32' | 'nrf52', pacePath: BoardOptions['pacePath'], mode: 'POR' | 'DDD' = 'POR'): Promise<Judged> {
  const sim = new SimBoard({ board, pacePath });
  const b = sim.boot();
  const vp = vpTimes(b);
  await run(b.clock, 2000);
  if (mode === 'DDD') await programDdd(b);
  const storage = b.firmware.storage!;
  const from = b.clock.now();
  const erasesBefore = sim.storageFlash.erases;
  const value = new Uint8Array(300).fill(0x5a);
  // A write every 37 ms (not a divisor of 923) so the erases fall at every phase of the cycle.
  for (let i = 0; i < 400; i++) {
    b.clock.setTimeout(() => {
      storage.records.put(0x7e00 + (i % 3), value);
      storage.log({ event: 'test.fill', actor: { role: 'device', keyId: '' }, outcome: 'ok', detail: `write ${i}` });
    }, 37 * i);
  }
  await run(b.clock, 37 * 400 + 100);
  const to = b.clock.now();
  b.firmware.stop();
  return judge(b, mode === 'DDD' ? DDD_60 : POR_VVI, vp, from, to, erasesBefore, sim.storageFlash.erases);
}

function report(what: string, j: Judged): string {
  return `${what}: ${j.paces} paces, ${j.erases} erases, ${j.stalledMs} ms stalled, ${j.duringStall} paces inside a stall, ${j.off.length} off their interval`
    + (j.off.length ? ` (worst ${Math.max(...j.off.map((x) => Math.abs(x.interval - x.expected)))} ms)` : '');
}

describe('pacing through CPU stalls of flash operations, through the assembled firmware', function () {
  this.timeout(120_000);

  it('a full update (96 blocks staged, ESP32 erase stalls): every pace exactly 923 ms after the last', async () => {
    const j = await update('hardware');
    console.log(`      ${report('update, pace timer', j)}`);
    assert.ok(j.erases >= 96 && j.duringStall >= 1, 'the staging erased its blocks and some paces fell inside stalls');
    assert.ok(j.paces >= 3);
    assert.deepEqual(j.off, []);
    assert.deepEqual(j.vpMarkers, j.pulses, 'each VP marker carries its pulse\'s time');
  });

  for (const board of ['nrf52', 'esp32'] as const) {
    it(`storage GC (record store and audit log compacting, ${board} stalls): every pace exactly 923 ms after the last`, async () => {
      const j = await storageGc(board, 'hardware');
      console.log(`      ${report(`storage GC ${board}, pace timer`, j)}`);
      assert.ok(j.erases >= 10 && j.duringStall >= 1, 'the stores compacted and some paces fell inside stalls');
      assert.deepEqual(j.off, []);
      assert.deepEqual(j.vpMarkers, j.pulses, 'each VP marker carries its pulse\'s time');
    });
  }

  it('storage GC in DDD 60 (nRF52 stalls): every AV delay 150 ms and every V-A interval 850 ms', async () => {
    const j = await storageGc('nrf52', 'hardware', 'DDD');
    console.log(`      ${report('storage GC nrf52 DDD, pace timer', j)}`);
    assert.ok(j.erases >= 10 && j.duringStall >= 1, 'the stores compacted and some paces fell inside stalls');
    assert.deepEqual(j.off, []);
    assert.deepEqual(j.vpMarkers, j.pulses, 'each VP marker carries its pulse\'s time');
  });

  it('the same runs on the JavaScript-timer pace path pace late', async () => {
    const runs = [await update('js-timer'), await storageGc('nrf52', 'js-timer'), await storageGc('esp32', 'js-timer'), await storageGc('nrf52', 'js-timer', 'DDD')];
    for (const [what, j] of [['update', runs[0]], ['storage GC nrf52', runs[1]], ['storage GC esp32', runs[2]], ['storage GC nrf52 DDD', runs[3]]] as const) {
      console.log(`      ${report(`${what}, js-timer`, j)}`);
      assert.ok(j.off.length > 0, `${what}: some pace is late`);
      assert.equal(j.duringStall, 0, 'a JavaScript timer never paces while the CPU is stalled');
    }
  });
});
