// The nRF52 build's "modules/bootloader/device-updates" (manifest.json maps it here): the same
// contract as modules/bootloader/device-updates.ts with only the nRF52's QSPI slots, so the
// ESP32 OTA adapter stays out of this image. Imports climb two levels as they would from
// modules/bootloader/, because XS resolves them against the specifier.
import { nrf52UpdatePlatform } from '../../modules/bootloader/device-nrf52-boot.js';
import type { UpdatePlatform } from '../../modules/bootloader/update-service.js';

export function openUpdatePlatform(restart: () => void): UpdatePlatform | undefined {
  return nrf52UpdatePlatform(restart);
}
