// The boot record and the bootloader's decision, state by state, including damage that power
// cuts cannot cause (both record copies lost, the confirmed bank corrupted) and a rolled-back
// image below the security counter.
// @req SEC-11 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BOOT_RECORD_BYTES, BootRecordStore, decodeBootRecord, encodeBootRecord, type BootRecord } from '../../modules/bootloader/boot-record.js';
import { verifiedBank } from '../../modules/bootloader/bank-image.js';
import { selectBoot } from '../../modules/bootloader/boot-select.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { NorFlash } from '../../host/sim/nor-flash.js';
import { crypto, image, makePackage, updateKeys } from '../../host/fixtures/update-fixture.js';
import { SIM_LAYOUTS, SimDevice } from '../../host/fixtures/sim-device.js';

const keys = updateKeys();

function device(): SimDevice {
  const dev = new SimDevice({ layout: SIM_LAYOUTS[1], keys, selfTest: () => Promise.resolve({ passed: true }) });
  dev.install(makePackage({ version: [1, 0, 0], counter: 3, image: image(1, 5000) }), 0);
  dev.install(makePackage({ version: [2, 0, 0], counter: 5, image: image(2, 7000) }), 1);
  return dev;
}

function decide(dev: SimDevice, counter: number) {
  const records = new BootRecordStore(dev.bootArea);
  const inspect = (slot: 0 | 1) => verifiedBank(dev.banks[slot], bankLayout(dev.banks[slot]), crypto, keys);
  return { records, choice: selectBoot(records, inspect, counter) };
}

describe('boot record', () => {
  it('round-trips every state and rejects any single flipped bit', () => {
    fc.assert(fc.property(
      fc.record({
        seq: fc.integer({ min: 0, max: 0xffffffff }),
        state: fc.constantFrom('confirmed', 'pending', 'trying'),
        confirmed: fc.constantFrom(0, 1),
        trial: fc.constantFrom(0, 1),
        note: fc.constantFrom('none', 'activated', 'trial-started', 'confirmed', 'trial-reset', 'candidate-invalid', 'self-test-failed', 'confirm-timeout'),
      }),
      fc.integer({ min: 0, max: BOOT_RECORD_BYTES * 8 - 1 }),
      (r, bit) => {
        const bytes = encodeBootRecord(r as BootRecord);
        assert.deepEqual(decodeBootRecord(bytes), { ...r });
        bytes[bit >> 3] ^= 1 << (bit & 7);
        assert.equal(decodeBootRecord(bytes), undefined);
      },
    ));
  });

  it('alternates blocks, so the previous record survives a write cut at any point, torn or not', () => {
    for (let at = 1; at <= 2; at++) {
      for (const torn of [false, true]) {
        const chip = new NorFlash({ size: 2 * 4096, eraseSize: 4096, writeSize: 4 });
        const store = new BootRecordStore(sliceArea(chip, 0, 2));
        store.write({ state: 'confirmed', confirmed: 1, trial: 1, note: 'confirmed' });
        chip.armPowerCut({ at: chip.ops + at, torn, seed: 9 });
        assert.throws(() => store.write({ state: 'pending', confirmed: 1, trial: 0, note: 'activated' }));
        chip.powerOn();
        const r = store.read();
        assert.ok(r.state === 'confirmed' && r.confirmed === 1 || r.state === 'pending', `cut ${at}${torn ? ' torn' : ''}: ${JSON.stringify(r)}`);
      }
    }
  });
});

describe('bootloader decision', () => {
  it('with no record takes the older bootable image, never the unconfirmed newer one', () => {
    const { choice } = decide(device(), 0);
    assert.equal(choice.slot, 0);
    assert.equal(choice.trial, false);
  });

  it('never boots an image below the security counter, even when the record names it', () => {
    const dev = device();
    new BootRecordStore(dev.bootArea).write({ state: 'confirmed', confirmed: 0, trial: 0, note: 'confirmed' });
    const { choice } = decide(dev, 4);
    assert.equal(choice.slot, 1, 'bank 0 (counter 3) is below 4: the other bank runs, on trial');
    assert.equal(choice.trial, true);
    assert.equal(choice.note, 'fallback');
    assert.equal(decide(device(), 6).choice.slot, undefined, 'nothing at or above counter 6: nothing boots');
  });

  it('pending: tries the candidate once; trying after a reset: reverts', () => {
    const dev = device();
    new BootRecordStore(dev.bootArea).write({ state: 'pending', confirmed: 0, trial: 1, note: 'activated' });
    const first = decide(dev, 3);
    assert.deepEqual([first.choice.slot, first.choice.trial, first.records.read().state], [1, true, 'trying']);
    const second = decide(dev, 3);
    assert.deepEqual([second.choice.slot, second.choice.trial, second.choice.note], [0, false, 'trial-reset']);
    assert.equal(second.records.read().state, 'confirmed');
  });

  it('pending with a damaged candidate: stays on the confirmed image and records why', () => {
    const dev = device();
    new BootRecordStore(dev.bootArea).write({ state: 'pending', confirmed: 0, trial: 1, note: 'activated' });
    const cell = SIM_LAYOUTS[1].bankBlocks * 4096 + 100; // inside bank 1's image
    dev.chip.cells[cell] ^= 0x40;
    const { choice, records } = decide(dev, 3);
    assert.deepEqual([choice.slot, choice.note, records.read().note], [0, 'candidate-invalid', 'candidate-invalid']);
  });
});
