// Host shim of "mc/ffi": the class mcconfig generates from the manifest's "ffi.functions"
// (SDK documentation/xs/XS FFI.md), with each of our C functions done in Node. Arguments convert
// as the generated glue does: a "uint8_t*" is an ArrayBuffer's data (NULL when detached or not a
// buffer), integers go through ToUint32; an int32_t result is the C value.
import { randomFillSync } from 'node:crypto';
import { bleRadio } from '../../ble/radio.js';
import { hostPlatform, otaPartitions, paceHardware, requestRestart } from '../host-control.js';
import { EspErr } from '../host/esp32-ota.js';
import { entropyModel } from '../host/entropy-model.js';
import { nativeCurves } from '../host/native-curves.js';
import { nativeSymmetric } from '../host/native-symmetric.js';
import type { Esp32Ota } from '../host/esp32-ota.js';
import { toUint32 } from '../host/xs-values.js';

/** modules/ble/native/privacy.h: IMPLANT_MAX_ROTATION_S, the longest period both stacks take. */
const MAX_ROTATION_S = 41400;

/** The OTA model on esp32; undefined on nrf52, where esp32_ota.c compiles to its stubs. */
function ota(): Esp32Ota | undefined {
  if (hostPlatform() !== 'esp32') return undefined;
  const model = otaPartitions();
  if (!model) throw new Error('host shims: no ESP32 OTA partitions installed (call installOtaPartitions)');
  return model;
}

export default class FFI {
  /** modules/bootloader/native/nrf52_qspi.c: the host boards have no QSPI chip (as on lin), so no nRF52 updates. */
  implant_qspi_open(): number {
    return -1;
  }

  /**
   * modules/ble/native/privacy-*.c, over host/ble/radio.ts. The IRK goes to the stack reversed
   * (both stacks hold it least significant octet first). SoftDevice (nRF52): the setting at once,
   * 0. NimBLE (ESP32, privacy-esp32.c with CONFIG_BT_NIMBLE_HOST_BASED_PRIVACY as
   * platforms/esp32's sdkconfig has it): applied when the host syncs, before the SDK's ready
   * event, or now if it has synced; 3 (pending) until then. The result is kept for
   * implant_ble_privacy_state.
   */
  implant_ble_privacy(irk: ArrayBuffer, rotationS: number): number {
    const radio = bleRadio();
    const seconds = toUint32(rotationS);
    if (!(irk instanceof ArrayBuffer) || irk.byteLength !== 16 || seconds === 0 || seconds > MAX_ROTATION_S) return (radio.privacyResult = -2);
    const stackIrk = new Uint8Array(irk).slice().reverse(); // the caller wipes its buffer after the call
    const refusal = radio.privacyRefusal;
    if (radio.stack === 'softdevice') {
      if (refusal === undefined) radio.setPrivacy(stackIrk, seconds);
      return (radio.privacyResult = refusal === undefined ? 0 : -refusal);
    }
    radio.privacyResult = 3;
    radio.whenSynced(() => {
      if (refusal === undefined) radio.setHostPrivacy(stackIrk, seconds);
      radio.privacyResult = refusal === undefined ? 0 : -refusal;
    });
    return radio.privacyResult;
  }

  /** The kept result; on NimBLE an RPA only if the own address type the SDK's server took is the random one (else 2, identity address). */
  implant_ble_privacy_state(): number {
    const radio = bleRadio();
    if (radio.stack === 'nimble' && radio.privacyResult === 0 && radio.ownAddressType !== 'random') return 2;
    return radio.privacyResult;
  }

  /** NimBLE: ble_gap_adv_active(); the SoftDevice never stops advertising by itself: -1 (unknown). */
  implant_ble_adv_active(): number {
    const radio = bleRadio();
    if (radio.stack === 'softdevice') return -1;
    return radio.advertising ? 1 : 0;
  }

  /** modules/platform/native/restart.c: restarts the board (host-control's restart), never returns. */
  implant_restart(): number {
    return requestRestart();
  }

  // modules/therapy/native/pace-timer-*.c, over host/sim/pace-hardware.ts (uint32_t arguments).
  implant_pace_open(pinA: number, pinV: number, activeLow: number): number {
    return paceHardware().open(toUint32(pinA), toUint32(pinV), toUint32(activeLow));
  }

  implant_pace_arm(chamber: number, delayMs: number, widthUs: number): number {
    return paceHardware().arm(toUint32(chamber), toUint32(delayMs), toUint32(widthUs));
  }

  implant_pace_cancel(chamber: number): number {
    return paceHardware().cancel(toUint32(chamber));
  }

  implant_pace_count(chamber: number): number {
    return paceHardware().count(toUint32(chamber));
  }

  /** modules/crypto/native/random.c: the boot entropy source on / off (recorded, always 0). */
  implant_entropy_begin = entropyModel.begin;
  implant_entropy_end = entropyModel.end;

  // modules/crypto/native/curves-*.c, over node:crypto.
  implant_x25519 = nativeCurves.implant_x25519;
  implant_x25519_base = nativeCurves.implant_x25519_base;
  implant_ed25519_public = nativeCurves.implant_ed25519_public;
  implant_ed25519_sign = nativeCurves.implant_ed25519_sign;
  implant_ed25519_verify = nativeCurves.implant_ed25519_verify;
  implant_chachapoly_seal = nativeCurves.implant_chachapoly_seal;
  implant_chachapoly_open = nativeCurves.implant_chachapoly_open;

  // modules/crypto/native/symmetric.h: the nRF52 build's only (platforms/nrf52/device-symmetric.ts).
  implant_sha256_init = nativeSymmetric.implant_sha256_init;
  implant_sha256_update = nativeSymmetric.implant_sha256_update;
  implant_sha256_final = nativeSymmetric.implant_sha256_final;
  implant_hmac_sha256 = nativeSymmetric.implant_hmac_sha256;
  implant_aes_gcm_seal = nativeSymmetric.implant_aes_gcm_seal;
  implant_aes_gcm_open = nativeSymmetric.implant_aes_gcm_open;

  /** modules/crypto/native/random.c: 0, or -1 for a NULL buffer. Recorded by entropy-model.ts. */
  implant_random_fill(buffer: ArrayBuffer, offset: number, length: number): number {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 && toUint32(length) > 0) return -1;
    entropyModel.fill();
    randomFillSync(new Uint8Array(buffer, toUint32(offset), toUint32(length)));
    return 0;
  }

  // modules/bootloader/native/esp32_ota.c, over host/esp32-ota.ts.

  /** The running partition's esp_ota_img_states_t (1 PENDING_VERIFY), as int32_t; -1 without an otadata entry. */
  implant_ota_running_state(): number {
    const model = ota();
    if (!model) return -1;
    const { err, state } = model.stateOf(model.runningSlot());
    return err === EspErr.OK ? state! | 0 : -1;
  }

  /** 1 when otadata boots another partition than the running one (NULL counts as another). */
  implant_ota_next_is_boot(): number {
    const model = ota();
    if (!model) return 0;
    return model.bootSlot() !== model.runningSlot() ? 1 : 0;
  }

  /** esp_ota_set_boot_partition(esp_ota_get_next_update_partition(NULL)). */
  implant_ota_activate_next(): number {
    const model = ota();
    return model ? model.setBootPartition(model.nextUpdateSlot()) : EspErr.NOT_SUPPORTED;
  }

  /** esp_ota_mark_app_valid_cancel_rollback. */
  implant_ota_confirm(): number {
    return ota()?.markValid() ?? EspErr.NOT_SUPPORTED;
  }

  /** esp_ota_mark_app_invalid_rollback_and_reboot: restarts the chip, so it returns only an error. */
  implant_ota_revert(): number {
    const model = ota();
    if (!model) return EspErr.NOT_SUPPORTED;
    const err = model.markInvalid();
    if (err !== EspErr.OK) return err;
    return requestRestart();
  }
}
