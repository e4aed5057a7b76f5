// An update end to end over the host BLE shim: the real GATT adapter, the secure channel and
// the command dispatcher on the device; the programmer client and the OTA client on the other
// side. Image chunks go over the OTA data characteristic (write without response). The link is
// cut mid-transfer and the programmer resumes; the device trial-boots, self-tests and confirms;
// in a second run the self-test fails and the device reverts.
import assert from 'node:assert/strict';
import { OtaError, sendUpdate } from '../../programmer/ota-client.js';
import { UpdateStatus } from '../../modules/bootloader/status.js';
import { equalBytes } from '../../modules/core/bytes.js';
import type { SimulatedCentral } from '../../host/ble/radio.js';
import { image, makePackage, updateKeys } from '../../host/fixtures/update-fixture.js';
import { bleWorld, type BleWorld } from '../../host/fixtures/update-world.js';

const BLOCK = 4096;

function world(): BleWorld {
  return bleWorld({
    keys: updateKeys(),
    factory: makePackage({ version: [1, 0, 0], counter: 3, image: image(1, 2 * BLOCK) }),
    roleOf: (key, programmers) => (equalBytes(key, programmers.manufacturer) ? 'manufacturer' : 'clinician'),
  });
}

async function restartAfterActivation(w: BleWorld): Promise<string> {
  w.clock.advance(1000);
  assert.ok(w.dev.restartRequested, 'the device restarts after activation');
  return w.boot();
}

describe('update end to end over the BLE shim', () => {
  it('sign, transfer with a dropped link and a resume, trial boot, self-test, confirm', async () => {
    const w = world();
    await w.boot();
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(9, 3 * BLOCK + 777) });
    const centrals: SimulatedCentral[] = [];
    let dropped = false;
    const seen: number[] = [];
    const { resumes } = await sendUpdate(pkg, {
      connect: () => w.connect('manufacturer', centrals),
      onProgress: (p) => {
        seen.push(p.committed);
        if (!dropped && p.committed >= 2 * BLOCK) {
          dropped = true;
          centrals.at(-1)!.disconnect(); // out of range, mid-transfer
          w.clock.advance(0);
        }
      },
    });
    assert.equal(resumes, 1);
    assert.ok(seen.includes(2 * BLOCK), 'resumed at the committed block');
    assert.equal(seen.at(-1), 3 * BLOCK + 777);
    assert.equal(await restartAfterActivation(w), 'confirmed');
    assert.deepEqual(w.running.choice.manifest?.manifest.version, [1, 1, 0]);
    assert.equal(w.running.counter.read(), 4);
    const status = await (await w.connect('manufacturer')).request('ota.status');
    assert.deepEqual((status.result as Map<string, unknown>).get('running'), [1, 1, 0]);
  });

  it('a failing self-test reverts to the old image; a clinician cannot update at all', async () => {
    const w = world();
    await w.boot();
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(9, 3 * BLOCK + 777) });
    await assert.rejects(sendUpdate(pkg, { connect: () => w.connect('clinician') }), (e: unknown) => e instanceof OtaError && e.status === UpdateStatus['wrong-role']);
    await sendUpdate(pkg, { connect: () => w.connect('manufacturer') });
    w.setSelfTest(false);
    assert.equal(await restartAfterActivation(w), 'reverted');
    assert.equal(await w.boot(), 'not-on-trial');
    assert.deepEqual(w.running.choice.manifest?.manifest.version, [1, 0, 0]);
    assert.equal(w.running.counter.read(), 3);
  });
});
