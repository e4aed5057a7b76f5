// Where the device's firmware updates go, per board. ESP32: the two OTA app partitions and
// ESP-IDF's otadata with app rollback (written without flash encryption, so byte-granular).
// nRF52: two slots and the boot record in the DK's QSPI flash, activated by our boot stage
// (docs/bootloader.md, "nRF52: the boot stage"); none where there is no QSPI chip (lin) or the
// manifest's config names no board (banks are per board). The nRF52 build maps this specifier to platforms/nrf52/device-updates.ts, which
// leaves the ESP32 adapter out of that image (manifest.json); the ESP32, lin and host builds use this file.
import config from 'mc/config';
import { Esp32BootControl, esp32Banks } from './device-esp32-boot.js';
import { nrf52UpdatePlatform } from './device-nrf52-boot.js';
import type { UpdatePlatform } from './update-service.js';

export function openUpdatePlatform(restart: () => void): UpdatePlatform | undefined {
  const board = (config as Record<string, unknown>).board;
  if (board === 'nrf52') return nrf52UpdatePlatform(restart);
  if (board !== 'esp32') return undefined;
  return { banks: esp32Banks(1), boot: new Esp32BootControl(), restart };
}
