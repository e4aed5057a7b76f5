// The ESP32 OTA data model (host/esp32-ota.ts) and the five esp32_ota.c calls of the "mc/ffi"
// shim over it: otadata bytes as ESP-IDF writes them, "running"/"nextota" swapping after a
// switch and reset, a trial that resets unconfirmed reverting, and the C return conventions.
import assert from 'node:assert/strict';
import Flash from 'flash';
import FFI from 'mc/ffi';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';
import { installOtaPartitions, restartCount, SystemRestart, usePlatform, virtualHost } from '../../host/shims/host-control.js';
import { EspErr, OtaImgState, otaSeqCrc } from '../../host/shims/host/esp32-ota.js';
import type { Esp32Ota } from '../../host/shims/host/esp32-ota.js';

const SECTOR = 4096;
const ffi = new FFI();

interface Board {
  ota: Esp32Ota;
  otadata: NorFlash;
  apps: NorFlash[];
}

/** A powered-on board whose two app slots hold an image (a first byte that is not blank). */
function board(images: [boolean, boolean] = [true, true]): Board {
  virtualHost('esp32');
  const otadata = new NorFlash({ size: 2 * SECTOR, eraseSize: SECTOR, writeSize: 1 });
  const apps = [0, 1].map(() => new NorFlash({ size: 4 * SECTOR, eraseSize: SECTOR, writeSize: 1 }));
  apps.forEach((app, slot) => images[slot] && app.program(0, Uint8Array.of(0xe9, slot)));
  return { ota: installOtaPartitions({ otadata, apps }), otadata, apps };
}

/** Which app partition `new Flash(label)` opens, told apart by the byte after the magic. */
function opens(label: string): number {
  return new Uint8Array(new Flash(label).read(1, 1))[0];
}

const states = (ota: Esp32Ota) => ota.readEntries().map((e) => [e.seq, e.state]);

describe('ESP32 OTA model and the mc/ffi OTA calls', () => {
  it('first power-on with blank otadata boots ota_0 and records seq 1 VALID in ESP-IDF format', () => {
    const { otadata } = board();
    const entry = otadata.cells.subarray(0, 32);
    assert.deepEqual([...entry.subarray(0, 4)], [1, 0, 0, 0]);
    assert.deepEqual([...entry.subarray(24, 32)], [2, 0, 0, 0, 0x9a, 0x98, 0x43, 0x47], 'state VALID, CRC-32 of ota_seq 1');
    assert.ok(otadata.cells.subarray(SECTOR).every((b) => b === 0xff), 'the second sector stays blank');
    assert.equal(otaSeqCrc(2), 0x55f63774);
    assert.deepEqual([opens('running'), opens('nextota')], [0, 1]);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);
    assert.equal(ffi.implant_ota_next_is_boot(), 0);
  });

  it('activate, reset: the new slot runs PENDING_VERIFY and the partitions swap roles; confirm makes it VALID', () => {
    const { ota } = board();
    assert.equal(ffi.implant_ota_activate_next(), EspErr.OK);
    assert.deepEqual(states(ota), [[1, OtaImgState.VALID], [2, OtaImgState.NEW]]);
    assert.equal(ffi.implant_ota_next_is_boot(), 1, 'waits for the reset');
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID, 'the running image is not on trial yet');
    assert.equal(opens('running'), 0);

    assert.equal(ota.reset(), 1);
    assert.deepEqual([opens('running'), opens('nextota')], [1, 0]);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.PENDING_VERIFY);
    assert.equal(ffi.implant_ota_next_is_boot(), 0);
    assert.equal(ffi.implant_ota_confirm(), EspErr.OK);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);
    assert.equal(ota.reset(), 1, 'a confirmed image keeps running');
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);

    // The next update goes back to ota_0 with the next sequence number that selects it.
    assert.equal(ffi.implant_ota_activate_next(), EspErr.OK);
    assert.deepEqual(states(ota), [[3, OtaImgState.NEW], [2, OtaImgState.VALID]]);
    assert.equal(ota.reset(), 0);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.PENDING_VERIFY);
  });

  it('a trial that resets before confirming is ABORTED and the previous image boots', () => {
    const { ota } = board();
    ffi.implant_ota_activate_next();
    ota.reset();
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.PENDING_VERIFY);
    assert.equal(ota.reset(), 0, 'reset without confirm');
    assert.deepEqual(states(ota), [[1, OtaImgState.VALID], [2, OtaImgState.ABORTED]]);
    assert.deepEqual([opens('running'), opens('nextota')], [0, 1]);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);
    assert.equal(ffi.implant_ota_next_is_boot(), 0);
    assert.equal(ota.reset(), 0, 'and it stays reverted');
  });

  it('revert marks the trial INVALID and restarts; the next reset boots the previous image', () => {
    const { ota } = board();
    ffi.implant_ota_activate_next();
    ota.reset();
    assert.throws(() => ffi.implant_ota_revert(), SystemRestart, 'esp_ota_mark_app_invalid_rollback_and_reboot does not return');
    assert.equal(restartCount(), 1);
    assert.deepEqual(states(ota), [[1, OtaImgState.VALID], [2, OtaImgState.INVALID]]);
    assert.equal(ota.reset(), 0);
    assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);
  });

  it('refusals return the esp_err_t and change nothing', () => {
    const { ota, otadata } = board([true, false]);
    const before = otadata.cells.slice();
    assert.equal(ffi.implant_ota_activate_next(), EspErr.OTA_VALIDATE_FAILED, 'a blank nextota has no image to verify');
    assert.equal(ffi.implant_ota_revert(), EspErr.OTA_ROLLBACK_FAILED, 'no previous image to roll back to');
    assert.equal(restartCount(), 0);
    assert.equal(ffi.implant_ota_confirm(), EspErr.OK, 'already VALID: nothing to write');
    assert.deepEqual(otadata.cells, before);
    assert.equal(ota.runningSlot(), 0);
  });

  it('the running partition without an otadata entry reads as -1, and next_is_boot follows a NULL boot partition', () => {
    const { ota, otadata } = board();
    ffi.implant_ota_activate_next();
    ota.reset(); // ota_1 runs PENDING_VERIFY from sector 1
    otadata.eraseBlock(1); // its entry is gone: otadata selects ota_0 again
    assert.equal(ffi.implant_ota_running_state(), -1);
    assert.equal(ffi.implant_ota_next_is_boot(), 1);
    otadata.eraseBlock(0);
    assert.equal(ota.bootSlot(), undefined, 'esp_ota_get_boot_partition is NULL without a factory app');
    assert.equal(ffi.implant_ota_next_is_boot(), 1);
  });

  it('on nrf52 the calls are esp32_ota.c\'s stubs; on esp32 without partitions the shim says what is missing', () => {
    virtualHost('esp32');
    assert.throws(() => ffi.implant_ota_running_state(), /installOtaPartitions/);
    usePlatform('nrf52');
    assert.deepEqual(
      [ffi.implant_ota_running_state(), ffi.implant_ota_next_is_boot(), ffi.implant_ota_activate_next(), ffi.implant_ota_confirm(), ffi.implant_ota_revert()],
      [-1, 0, EspErr.NOT_SUPPORTED, EspErr.NOT_SUPPORTED, EspErr.NOT_SUPPORTED],
    );
  });

  it('a power cut at any otadata write of activate, trial, confirm or revert leaves a confirmed or on-trial image', () => {
    type Step = (b: Board) => void;
    const steps: Array<[string, Step]> = [
      ['activate', () => ffi.implant_ota_activate_next()],
      ['bootloader NEW -> PENDING_VERIFY', (b) => b.ota.reset()],
      ['confirm', () => ffi.implant_ota_confirm()],
    ];
    const revertSteps: Array<[string, Step]> = [
      ['revert', () => ffi.implant_ota_revert()],
      ['bootloader PENDING_VERIFY -> ABORTED', (b) => b.ota.reset()],
    ];
    let cuts = 0;
    for (const plan of [...steps.map((_, i) => steps.slice(0, i + 1)), [...steps.slice(0, 2), revertSteps[0]], [...steps.slice(0, 2), revertSteps[1]]]) {
      for (const torn of [false, true]) {
        for (let at = 1; at <= 2; at++) {
          const b = board();
          plan.slice(0, -1).forEach(([, step]) => step(b));
          b.otadata.armPowerCut({ at: b.otadata.ops + at, torn, seed: at });
          assert.throws(() => plan[plan.length - 1][1](b), PowerCut, `${plan[plan.length - 1][0]} op ${at}`);
          cuts++;
          b.otadata.powerOn();
          for (let boot = 0; boot < 2; boot++) {
            b.ota.reset();
            const state = b.ota.stateOf(b.ota.runningSlot()).state;
            assert.ok(state === OtaImgState.VALID || state === OtaImgState.PENDING_VERIFY, `after ${plan.map(([n]) => n).join(', ')} cut at op ${at}${torn ? ' torn' : ''}: state ${state}`);
          }
        }
      }
    }
    assert.equal(cuts, 5 * 2 * 2);
  });
});
