// The platform adapters through the host shims of Moddable's "flash" module: the nRF52 raw
// regions (banks and boot record) carry a whole update, with the portable bootloader playing
// the stage-2 that the nRF52 build lacks; the ESP32 banks ("running", "nextota") take a staged
// image. (Esp32BootControl needs ESP-IDF's otadata, which the host does not simulate.)
import assert from 'node:assert/strict';
import { runningManifest, verifiedBank } from '../../modules/bootloader/bank-image.js';
import { BootRecordStore } from '../../modules/bootloader/boot-record.js';
import { selectBoot } from '../../modules/bootloader/boot-select.js';
import { esp32Banks } from '../../modules/bootloader/device-esp32-boot.js';
import { nrf52Banks, nrf52BootControl, type Nrf52UpdateRegions } from '../../modules/bootloader/device-nrf52-boot.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { securityCounterFrom } from '../../modules/bootloader/security-counter.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { TrialSupervisor } from '../../modules/bootloader/trial.js';
import { UPDATE_ROLE, UpdateService } from '../../modules/bootloader/update-service.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import type { FlashArea } from '../../modules/core/flash-area.js';
import { ModdableFlashArea } from '../../modules/platform/flash-area.js';
import { Counters } from '../../modules/storage/counters.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import Flash from 'flash';
import { NorFlash } from '../sim/nor-flash.js';
import { installFlashChip, installFlashPartition, virtualHost } from '../shims/host-control.js';
import { CLASS_ID, crypto, image, makePackage, manifestOf, updateKeys, VENDOR_ID } from './fixture.js';

const BLOCK = 4096;
const keys = updateKeys();

function install(bank: FlashArea, pkg: Uint8Array): void {
  const { manifestBytes, image: img } = splitPackage(pkg);
  const opened = openManifest(crypto, manifestBytes, keys);
  Stager.start(bank, bankLayout(bank), crypto, opened.manifest, opened.bytes).write(0, img);
}

describe('update platform adapters over the flash shim', () => {
  it('nRF52: raw-region banks and boot record carry an update, trial and confirm', async () => {
    const clock = virtualHost('nrf52');
    const chip = new NorFlash({ size: 32 * BLOCK, eraseSize: BLOCK, writeSize: 1 });
    installFlashChip(chip);
    const regions: Nrf52UpdateRegions = {
      bank0: { offset: 0, length: 6 * BLOCK }, bank1: { offset: 6 * BLOCK, length: 6 * BLOCK }, bootRecord: { offset: 12 * BLOCK, length: 2 * BLOCK },
    };
    const counter = securityCounterFrom(new Counters(new RecordStore(new ModdableFlashArea(new Flash(16 * BLOCK, 4 * BLOCK), 4))));
    const banks = nrf52Banks(regions);
    install(banks[0], makePackage({ version: [1, 0, 0], counter: 3, image: image(1, BLOCK) }));
    const boot = nrf52BootControl(regions);
    let restarts = 0;
    const service = new UpdateService({
      crypto, keys, vendorId: VENDOR_ID, classId: CLASS_ID, counter, clock, time: () => undefined,
      platform: { banks, boot, restart: () => void restarts++ },
      running: runningManifest(banks, boot, crypto, keys),
    });
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(2, 3 * BLOCK + 5) });
    service.begin(UPDATE_ROLE, manifestOf(pkg));
    const img = splitPackage(pkg).image;
    for (let at = 0; at < img.length; at += 500) service.chunk(UPDATE_ROLE, at, img.subarray(at, at + 500));
    service.activate(UPDATE_ROLE);
    clock.advance(1000);
    assert.equal(restarts, 1);
    assert.deepEqual(chip.cells.subarray(6 * BLOCK, 6 * BLOCK + img.length), img, 'the image went through the Flash shim into bank 1');
    // A stage-2 bootloader running boot-select.ts on the same regions:
    const choice = selectBoot(new BootRecordStore(new ModdableFlashArea(new Flash(12 * BLOCK, 2 * BLOCK), 4)),
      (slot) => verifiedBank(banks[slot], bankLayout(banks[slot]), crypto, keys), counter.read());
    assert.deepEqual([choice.slot, choice.trial], [1, true]);
    const outcome = await new TrialSupervisor({
      running: choice.manifest, boot, counter, clock, selfTest: () => Promise.resolve({ passed: true }), restart: () => {}, confirmWithinMs: 60_000,
    }).start();
    assert.equal(outcome, 'confirmed');
    assert.equal(counter.read(), 4);
    assert.deepEqual(boot.status(), { running: 1, trial: false, pending: undefined });
  });

  it('ESP32: "running" and "nextota" as banks, 16-byte writes as with flash encryption', () => {
    virtualHost('esp32');
    installFlashPartition('running', new NorFlash({ size: 8 * BLOCK, eraseSize: BLOCK, writeSize: 1 }));
    const next = new NorFlash({ size: 8 * BLOCK, eraseSize: BLOCK, writeSize: 1 });
    installFlashPartition('nextota', next);
    const [, bank1] = esp32Banks(16);
    assert.equal(bank1.writeSize, 16);
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(3, 2 * BLOCK + 7) });
    install(bank1, pkg);
    assert.ok(verifiedBank(bank1, bankLayout(bank1), crypto, keys), 'staged, trailer complete, digest matches');
    assert.equal(next.cells[7 * BLOCK], 0x49, 'the trailer is in the last block of the partition');
  });
});
