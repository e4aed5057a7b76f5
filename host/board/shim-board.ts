// The simulated board under `implant run`: what the shims serve to the firmware's device
// platform (modules/app/device-platform.ts). Each flash partition is a NorFlash kept in a state
// directory, so a restart of the simulator is a reboot of the device with its flash intact; the
// BLE stack gets the firmware's bleservices, as the build step bles2gatt gives the device.
// On esp32 the board also has the OTA layout (otadata, ota_0, ota_1): installing it runs the
// ESP-IDF bootloader model, so an update activated in one run is on trial in the next.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bleRadio } from '../ble/radio.js';
import type { ServiceJson } from '../ble/radio.js';
import { hostPlatform, installFlashPartition, installOtaPartitions } from '../shims/host-control.js';
import { NorFlash } from '../sim/nor-flash.js';

/** Partitions of platforms/esp32/partitions.csv, in 4 KiB sectors. */
const STORAGE = Object.freeze({ name: 'storage', size: 0x30000 });
const OTADATA = Object.freeze({ name: 'otadata', size: 0x2000 });
const OTA_APPS = Object.freeze([Object.freeze({ name: 'ota_0', size: 0x1e0000 }), Object.freeze({ name: 'ota_1', size: 0x1e0000 })]);
const SECTOR = 4096;
/** esp_image_header_t.magic. */
const ESP_IMAGE_MAGIC = 0xe9;
const SERVICES = new URL('../../modules/ble/bleservices/', import.meta.url);

export const DEFAULT_STATE_DIR = join(tmpdir(), 'implant-sim');

export interface HostBoard {
  readonly stateDir: string;
  /** The storage partition image existed: this boot is a reboot with the previous run's data. */
  readonly resumed: boolean;
  /** Writes each partition that changed since the last save to the state directory. */
  save(): void;
}

interface Kept {
  readonly file: string;
  readonly flash: NorFlash;
  readonly resumed: boolean;
  savedOps: number;
}

/** A partition loaded from `stateDir` if its image is there (erased otherwise). */
function keptPartition(stateDir: string, name: string, size: number): Kept {
  const file = join(stateDir, `${hostPlatform()}-${name}.bin`);
  const flash = new NorFlash({ size, eraseSize: SECTOR, writeSize: 1 });
  const resumed = existsSync(file);
  if (resumed) {
    const bytes = readFileSync(file);
    if (bytes.length !== size) throw new Error(`${file} is not a ${size}-byte flash image; use --fresh to start over`);
    flash.cells.set(bytes);
  }
  return { file, flash, resumed, savedOps: 0 };
}

/** Installs the partitions (loaded from `stateDir` unless `fresh`) and the BLE services. */
export function setUpHostBoard(stateDir: string, fresh: boolean): HostBoard {
  const esp32 = hostPlatform() === 'esp32';
  const layout = esp32 ? [STORAGE, OTADATA, ...OTA_APPS] : [STORAGE];
  if (fresh) for (const { name } of layout) rmSync(join(stateDir, `${hostPlatform()}-${name}.bin`), { force: true });
  mkdirSync(stateDir, { recursive: true });
  const [storage, ...ota] = layout.map(({ name, size }) => keptPartition(stateDir, name, size));
  installFlashPartition(STORAGE.name, storage.flash);
  if (esp32) {
    const [otadata, ota0, ota1] = ota;
    // A new board was flashed over USB with the development image (main.ts) in ota_0; its
    // header's magic byte is what the host's image check sees. It has no trailer: unsigned.
    if (!ota0.resumed) ota0.flash.program(0, Uint8Array.of(ESP_IMAGE_MAGIC));
    installOtaPartitions({ otadata: otadata.flash, apps: [ota0.flash, ota1.flash] });
  }

  const services = readdirSync(SERVICES).filter((f) => f.endsWith('.json')).sort();
  bleRadio().installServices(services.map((f) => JSON.parse(readFileSync(new URL(f, SERVICES), 'utf8')) as ServiceJson));

  const kept = [storage, ...ota];
  return {
    stateDir,
    resumed: storage.resumed,
    save() {
      for (const k of kept) {
        if (k.flash.ops === k.savedOps) continue;
        // Write then rename: a simulator killed mid-save keeps the previous image whole.
        writeFileSync(`${k.file}.tmp`, k.flash.cells);
        renameSync(`${k.file}.tmp`, k.file);
        k.savedOps = k.flash.ops;
      }
    },
  };
}
