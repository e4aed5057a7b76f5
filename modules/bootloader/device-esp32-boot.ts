// The ESP32 platform for the update (docs/bootloader.md, "ESP32"): the banks are the two OTA
// app partitions as Moddable's flash module names them ("running" is bank 0, "nextota" bank 1,
// whichever of ota_0/ota_1 they are), and the boot state is ESP-IDF's otadata with app
// rollback, reached through five FFI calls (native/esp32_ota.c). What it guarantees:
//   - the ESP-IDF bootloader (not our boot-select.ts) picks the slot; a new image boots as
//     PENDING_VERIFY and, if it resets before confirm, the bootloader boots the other slot;
//   - esp_ota_set_boot_partition verifies the staged image (SHA-256, and the Secure Boot v2
//     signature when enabled) before it switches;
//   - the security counter is enforced by TrialSupervisor at start-up (the ESP-IDF bootloader
//     does not read it; eFuse anti-rollback is the hardware option, docs/secure-boot.md).
import Flash from 'flash';
import FFI from 'mc/ffi';
import { ModdableFlashArea } from '../platform/flash-area.js';
import type { FlashArea } from '../core/flash-area.js';
import type { BootControl, BootStatus, TrialRevertReason } from './boot-control.js';
import type { Slot } from './boot-record.js';

/** The calls native/esp32_ota.c exports (mcconfig generates them on "mc/ffi" from native/manifest.json). */
interface Esp32OtaNative {
  implant_ota_running_state(): number;
  implant_ota_next_is_boot(): number;
  implant_ota_activate_next(): number;
  implant_ota_confirm(): number;
  implant_ota_revert(): number;
}

/** esp_ota_img_states_t: ESP_OTA_IMG_PENDING_VERIFY. */
const PENDING_VERIFY = 1;

function check(what: string, err: number): void {
  if (err !== 0) throw new Error(`${what}: esp_err_t 0x${err.toString(16)}`);
}

export class Esp32BootControl implements BootControl {
  private readonly native: Esp32OtaNative;

  constructor() {
    this.native = new FFI() as unknown as Esp32OtaNative;
  }

  status(): BootStatus {
    return {
      running: 0,
      trial: this.native.implant_ota_running_state() === PENDING_VERIFY,
      pending: this.native.implant_ota_next_is_boot() ? 1 : undefined,
    };
  }

  requestTrial(slot: Slot): void {
    if (slot !== 1) throw new Error('on ESP32 only the other OTA slot ("nextota") can be activated');
    check('esp_ota_set_boot_partition', this.native.implant_ota_activate_next());
  }

  confirm(): void {
    check('esp_ota_mark_app_valid_cancel_rollback', this.native.implant_ota_confirm());
  }

  revert(_reason: TrialRevertReason): void {
    // Reboots into the previous image; the reason was logged by the caller before this call.
    check('esp_ota_mark_app_invalid_rollback_and_reboot', this.native.implant_ota_revert());
  }
}

/**
 * Bank 0 is the running partition, bank 1 the next OTA slot. `writeSize` 16 with flash
 * encryption (ESP32 encrypts 16-byte blocks), else 1.
 */
export function esp32Banks(writeSize: 1 | 16): readonly [FlashArea, FlashArea] {
  return [new ModdableFlashArea(new Flash('running'), writeSize), new ModdableFlashArea(new Flash('nextota'), writeSize)];
}
