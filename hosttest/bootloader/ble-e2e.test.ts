// An update end to end through the assembled firmware (startFirmware on a simulated board with
// two banks) over the host BLE shim: a manufacturer programmer, presence held as the policy
// asks, streams a signed package over the OTA data characteristic (write without response); the
// link is cut mid-transfer and the programmer resumes; after activation the board restarts, the
// bootloader boots the new bank on trial, the therapy self-test passes and it confirms. In a
// second run the therapy machine is down on the trial boot, so the device reverts; a clinician
// is refused by the access policy before the update service sees anything.
import assert from 'node:assert/strict';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { Status } from '../../modules/channel/status.js';
import { OtaError, sendUpdate } from '../../programmer/ota-client.js';
import type { SimulatedCentral } from '../../host/ble/radio.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { image, makePackage } from '../../host/fixtures/update-fixture.js';

const BLOCK = 4096;
const MANUFACTURER = programmerIdentity('manufacturer', 11);
const CLINICIAN = programmerIdentity('clinician', 12);
/** Images for this firmware: the implant's vendor id and the board's class id (the board is an esp32). */
const FOR_BOARD = { vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS.esp32)! };

/** A board programmed at the factory with 1.0.0 (security counter 3) in bank 0, booted. */
async function factoryBoard(): Promise<{ board: SimBoard; b: Booted }> {
  const board = new SimBoard({ banks: true });
  board.install(makePackage({ ...FOR_BOARD, version: [1, 0, 0], counter: 3, image: image(1, 2 * BLOCK) }), 0);
  const b = board.boot();
  await run(b.clock, 1000);
  return { board, b };
}

/** Opens a programmer session as `who`; `centrals` holds the board's centrals, so the last one can be cut. */
function connector(b: Booted, who: typeof MANUFACTURER, centrals: SimulatedCentral[]) {
  return async () => {
    for (const old of centrals.splice(0)) old.disconnect(); // one programmer at a time
    await run(b.clock, 10);
    const s = await programmerSession(b, who);
    centrals.push(s.central);
    return s.client;
  };
}

/** Power-on after the activation's restart, then waits for the trial decision. */
async function rebootAndDecide(board: SimBoard, before: Booted): Promise<{ b: Booted; outcome: string | undefined }> {
  await run(before.clock, 1000);
  assert.equal(before.restarts, 1, 'the device restarts after activation');
  before.firmware.stop();
  const b = board.boot();
  const outcome = await settle(b.clock, b.firmware.trial, 10_000);
  return { b, outcome };
}

describe('update end to end through the assembled firmware over the BLE shim', function () {
  this.timeout(60_000);
  const pkg = makePackage({ ...FOR_BOARD, version: [1, 1, 0], counter: 4, image: image(9, 3 * BLOCK + 777) });

  it('sign, transfer with a dropped link and a resume, trial boot, self-test, confirm', async () => {
    const { board, b } = await factoryBoard();
    b.button(true); // ota.begin and ota.activate need presence
    const centrals: SimulatedCentral[] = [];
    let dropped = false;
    const seen: number[] = [];
    const { resumes } = await settle(b.clock, sendUpdate(pkg, {
      connect: connector(b, MANUFACTURER, centrals),
      onProgress: (p) => {
        seen.push(p.committed);
        if (!dropped && p.committed >= 2 * BLOCK) {
          dropped = true;
          centrals.at(-1)!.disconnect(); // out of range, mid-transfer
        }
      },
    }), 60_000);
    assert.equal(resumes, 1);
    assert.ok(seen.includes(2 * BLOCK), 'resumed at the committed block');
    assert.equal(seen.at(-1), 3 * BLOCK + 777);
    const next = await rebootAndDecide(board, b);
    assert.equal(next.outcome, 'confirmed');
    assert.equal(next.b.firmware.storage!.counters.get('security'), 4, 'the security counter follows the confirmed image');
    const s = await programmerSession(next.b, MANUFACTURER);
    const status = await settle(next.b.clock, s.client.request('ota.status'));
    assert.deepEqual((status.result as Map<string, unknown>).get('running'), [1, 1, 0]);
    next.b.firmware.stop();
  });

  it('a clinician is refused by the policy; with the therapy machine down on the trial boot the device reverts', async () => {
    const { board, b } = await factoryBoard();
    b.button(true);
    const centrals: SimulatedCentral[] = [];
    await assert.rejects(settle(b.clock, sendUpdate(pkg, { connect: connector(b, CLINICIAN, centrals) })),
      (e: unknown) => e instanceof OtaError && e.status === Status.DENIED);
    assert.equal(b.firmware.update!.status().state, 'idle', 'the update service saw nothing');
    await settle(b.clock, sendUpdate(pkg, { connect: connector(b, MANUFACTURER, centrals) }), 60_000);
    board.workerFails = true; // the new image's therapy machine does not come up
    const trial = await rebootAndDecide(board, b);
    assert.equal(trial.outcome, 'reverted');
    await run(trial.b.clock, 1000);
    trial.b.firmware.stop();
    board.workerFails = false;
    const after = board.boot();
    assert.equal(await settle(after.clock, after.firmware.trial), 'not-on-trial');
    assert.equal(after.firmware.storage!.counters.get('security'), 3, 'the counter stays at the old image');
    const s = await programmerSession(after, MANUFACTURER);
    const status = await settle(after.clock, s.client.request('ota.status'));
    assert.deepEqual((status.result as Map<string, unknown>).get('running'), [1, 0, 0]);
    after.firmware.stop();
  });
});
