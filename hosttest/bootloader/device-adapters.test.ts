// The platform adapters: on nRF52 the QSPI slots and boot record through the FFI calls (over a
// simulated chip; the boot stage that activates them is hosttest/bootloader/nrf52-boot-stage);
// on ESP32 the banks ("running", "nextota") and
// Esp32BootControl run over the host model of ESP-IDF's otadata and bootloader
// (host/shims/host/esp32-ota.ts), so an update stages, activates, trial-boots after the
// reset, and either confirms or is reverted by ESP-IDF's rollback.
import assert from 'node:assert/strict';
import { runningManifest, verifiedBank } from '../../modules/bootloader/bank-image.js';
import { Esp32BootControl, esp32Banks } from '../../modules/bootloader/device-esp32-boot.js';
import { nrf52UpdatePlatform } from '../../modules/bootloader/device-nrf52-boot.js';
import { openUpdatePlatform } from '../../modules/bootloader/device-updates.js';
import { openUpdatePlatform as openNrf52Build } from '../../platforms/nrf52/device-updates.js';
import { qspiNativeOver, SIM_QSPI } from '../../host/campaign/boot-stage-campaign.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { securityCounterFrom } from '../../modules/bootloader/security-counter.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { TrialSupervisor } from '../../modules/bootloader/trial.js';
import type { TrialOutcome } from '../../modules/bootloader/trial.js';
import { UPDATE_ROLE, UpdateService } from '../../modules/bootloader/update-service.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import type { FlashArea } from '../../modules/core/flash-area.js';
import { restart } from '../../modules/platform/restart.js';
import { ModdableFlashArea } from '../../modules/platform/flash-area.js';
import { Counters } from '../../modules/storage/counters.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import Flash from 'flash';
import { NorFlash } from '../../host/sim/nor-flash.js';
import type { VirtualClock } from '../../host/sim/virtual-clock.js';
import { installFlashPartition, installOtaPartitions, restartCount, SystemRestart, virtualHost } from '../../host/shims/host-control.js';
import type { Esp32Ota } from '../../host/shims/host/esp32-ota.js';
import { CLASS_ID, crypto, image, makePackage, manifestOf, updateKeys, VENDOR_ID } from '../../host/fixtures/update-fixture.js';

const BLOCK = 4096;
const keys = updateKeys();

function install(bank: FlashArea, pkg: Uint8Array): void {
  const { manifestBytes, image: img } = splitPackage(pkg);
  const opened = openManifest(crypto, manifestBytes, keys);
  Stager.start(bank, bankLayout(bank), crypto, opened.manifest, opened.bytes).write(0, img);
}

describe('update platform adapters over the flash shim', () => {
  it('nRF52: the QSPI adapter carries an update into slot 1 and the boot record; with no chip (lin, the host shims) there are no updates', () => {
    const clock = virtualHost('nrf52');
    const chip = new NorFlash({ size: 0x14000, eraseSize: BLOCK, writeSize: 4 });
    let restarts = 0;
    const platform = nrf52UpdatePlatform(() => void restarts++, qspiNativeOver(chip), SIM_QSPI)!;
    install(platform.banks[0], makePackage({ version: [1, 0, 0], counter: 3, image: image(1, BLOCK) }));
    const service = new UpdateService({
      crypto, keys, vendorId: VENDOR_ID, classId: CLASS_ID, counter: { read: () => 0, raise: () => {} }, clock, time: () => undefined,
      platform, running: runningManifest(platform.banks, platform.boot, crypto, keys),
    });
    const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(2, 3 * BLOCK + 5) });
    service.begin(UPDATE_ROLE, manifestOf(pkg));
    const img = splitPackage(pkg).image;
    for (let at = 0; at < img.length; at += 500) service.chunk(UPDATE_ROLE, at, img.subarray(at, at + 500));
    service.activate(UPDATE_ROLE);
    clock.advance(1000);
    assert.equal(restarts, 1);
    const slot1 = SIM_QSPI.slotOffsets[1];
    assert.deepEqual(chip.cells.subarray(slot1, slot1 + img.length), img, 'the image went through the FFI calls into slot 1');
    assert.deepEqual(platform.boot.status(), { running: 0, trial: false, pending: 1 });
    assert.throws(() => platform.banks[1].program(2, Uint8Array.of(0, 0)), /aligned/);
    assert.equal(nrf52UpdatePlatform(() => {}), undefined, 'the host FFI shim has no QSPI chip');
  });

  it('each build opens its board\'s updates: the ESP32 banks where the config names esp32, and in the nRF52 build only the QSPI slots', () => {
    virtualHost('esp32');
    installFlashPartition('running', new NorFlash({ size: 8 * BLOCK, eraseSize: BLOCK, writeSize: 1 }));
    installFlashPartition('nextota', new NorFlash({ size: 8 * BLOCK, eraseSize: BLOCK, writeSize: 1 }));
    const esp32 = openUpdatePlatform(() => {});
    assert.ok(esp32 && esp32.boot instanceof Esp32BootControl && esp32.banks.length === 2, 'the host config names esp32');
    virtualHost('nrf52');
    assert.equal(openNrf52Build(() => {}), undefined, 'the host FFI shim has no QSPI chip, as lin');
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

  describe('ESP32: Esp32BootControl over the otadata model', () => {
    const counterFlash = () => new NorFlash({ size: 4 * BLOCK, eraseSize: BLOCK, writeSize: 1 });
    let clock: VirtualClock;
    let ota: Esp32Ota;
    let counterCells: NorFlash;

    /** A device running 1.0.0 (counter 3) from ota_0, ota_1 blank, otadata blank: the first power-on. */
    beforeEach(() => {
      clock = virtualHost('esp32');
      const apps = [0, 1].map(() => new NorFlash({ size: 8 * BLOCK, eraseSize: BLOCK, writeSize: 1 }));
      install(apps[0], makePackage({ version: [1, 0, 0], counter: 3, image: image(1, BLOCK + 9) }));
      ota = installOtaPartitions({ otadata: new NorFlash({ size: 2 * BLOCK, eraseSize: BLOCK, writeSize: 1 }), apps });
      counterCells = counterFlash();
      installFlashPartition('counter', counterCells);
    });

    /** One boot of the firmware's update part, as update-start.ts wires it, with the real restart(). */
    function bootFirmware(selfTestPasses: boolean) {
      const counter = securityCounterFrom(new Counters(new RecordStore(new ModdableFlashArea(new Flash('counter'), 1))));
      const banks = esp32Banks(1);
      const boot = new Esp32BootControl();
      const running = runningManifest(banks, boot, crypto, keys);
      const service = new UpdateService({
        crypto, keys, vendorId: VENDOR_ID, classId: CLASS_ID, counter, clock, time: () => undefined,
        platform: { banks, boot, restart }, running,
      });
      const trial = new TrialSupervisor({
        running, boot, counter, clock, restart, confirmWithinMs: 60_000,
        selfTest: () => Promise.resolve({ passed: selfTestPasses }),
      }).start();
      return { counter, boot, service, running, trial };
    }

    /** Stages 1.1.0 (counter 4) through the service and activates it; the restart follows. */
    function stageAndActivate(): void {
      const first = bootFirmware(true);
      const pkg = makePackage({ version: [1, 1, 0], counter: 4, image: image(2, 3 * BLOCK + 5) });
      first.service.begin(UPDATE_ROLE, manifestOf(pkg));
      const img = splitPackage(pkg).image;
      for (let at = 0; at < img.length; at += 700) first.service.chunk(UPDATE_ROLE, at, img.subarray(at, at + 700));
      assert.deepEqual(first.service.activate(UPDATE_ROLE), [1, 1, 0]);
      assert.deepEqual(first.boot.status(), { running: 0, trial: false, pending: 1 }, 'otadata selects the other slot for the next boot');
      assert.equal(first.service.status().state, 'pending');
      assert.throws(() => clock.advance(1000), SystemRestart, 'the service restarts the device');
      assert.equal(restartCount(), 1);
      assert.equal(ota.reset(), 1, 'the bootloader boots ota_1');
    }

    it('stage, activate, restart: the new image runs on trial from "running" and confirms after its self-test', async () => {
      stageAndActivate();
      const second = bootFirmware(true);
      assert.deepEqual(second.running?.manifest.version, [1, 1, 0], '"running" is now ota_1');
      assert.deepEqual(second.boot.status(), { running: 0, trial: true, pending: undefined });
      assert.equal(second.service.status().state, 'trial');
      assert.equal(await second.trial, 'confirmed' satisfies TrialOutcome);
      assert.equal(second.counter.read(), 4, 'the counter rises at confirm');
      assert.deepEqual(second.boot.status(), { running: 0, trial: false, pending: undefined });

      assert.equal(ota.reset(), 1, 'the confirmed image keeps booting');
      const third = bootFirmware(true);
      assert.deepEqual(third.running?.manifest.version, [1, 1, 0]);
      assert.equal(await third.trial, 'not-on-trial');
      assert.equal(third.service.status().state, 'idle');
    });

    it('a trial reset before confirm reverts to the old image, counter unchanged', async () => {
      stageAndActivate();
      const second = bootFirmware(true);
      assert.equal(second.boot.status().trial, true);
      // The device resets (a crash, a watchdog) before the self-test decides.
      assert.equal(ota.reset(), 0, 'ESP-IDF aborts the unconfirmed trial');
      const third = bootFirmware(true);
      assert.deepEqual(third.running?.manifest.version, [1, 0, 0]);
      assert.deepEqual(third.boot.status(), { running: 0, trial: false, pending: undefined });
      assert.equal(await third.trial, 'not-on-trial');
      assert.equal(third.counter.read(), 3);
      assert.equal(third.service.status().state, 'idle', 'a new update may start');
    });

    it('a failed self-test reverts through esp_ota_mark_app_invalid_rollback_and_reboot', async () => {
      stageAndActivate();
      const second = bootFirmware(false);
      await assert.rejects(second.trial, SystemRestart, 'the revert reboots and does not return');
      assert.equal(restartCount(), 2);
      assert.equal(ota.reset(), 0);
      const third = bootFirmware(true);
      assert.deepEqual(third.running?.manifest.version, [1, 0, 0]);
      assert.equal(await third.trial, 'not-on-trial');
      assert.equal(third.counter.read(), 3);
    });
  });
});
