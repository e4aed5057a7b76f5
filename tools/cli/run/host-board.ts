// The simulated board under `implant run`: what the shims serve to the firmware's device
// platform (modules/app/device-platform.ts). The storage partition is a NorFlash kept in a state
// directory, so a restart of the simulator is a reboot of the device with its flash intact; the
// BLE stack gets the firmware's bleservices, as the build step bles2gatt gives the device.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bleRadio } from '../../../hosttest/ble/radio.js';
import type { ServiceJson } from '../../../hosttest/ble/radio.js';
import { hostPlatform, installFlashPartition } from '../../../hosttest/shims/host-control.js';
import { NorFlash } from '../../../hosttest/sim/nor-flash.js';

/** The "storage" data partition of platforms/esp32/partitions.csv: 0x30000 bytes in 4 KiB sectors. */
const STORAGE = Object.freeze({ name: 'storage', size: 0x30000, eraseSize: 4096, writeSize: 1 });
const SERVICES = new URL('../../../modules/ble/bleservices/', import.meta.url);

export const DEFAULT_STATE_DIR = join(tmpdir(), 'implant-sim');

export interface HostBoard {
  readonly stateDir: string;
  /** The partition image existed: this boot is a reboot with the previous run's data. */
  readonly resumed: boolean;
  /** Writes the flash to the state directory if it changed since the last save. */
  save(): void;
}

/** Installs the storage partition (loaded from `stateDir` unless `fresh`) and the BLE services. */
export function setUpHostBoard(stateDir: string, fresh: boolean): HostBoard {
  const file = join(stateDir, `${hostPlatform()}-${STORAGE.name}.bin`);
  if (fresh) rmSync(file, { force: true });
  mkdirSync(stateDir, { recursive: true });
  const flash = new NorFlash(STORAGE);
  const resumed = existsSync(file);
  if (resumed) {
    const bytes = readFileSync(file);
    if (bytes.length !== STORAGE.size) throw new Error(`${file} is not a ${STORAGE.size}-byte flash image; use --fresh to start over`);
    flash.cells.set(bytes);
  }
  installFlashPartition(STORAGE.name, flash);

  const services = readdirSync(SERVICES).filter((f) => f.endsWith('.json')).sort();
  bleRadio().installServices(services.map((f) => JSON.parse(readFileSync(new URL(f, SERVICES), 'utf8')) as ServiceJson));

  let savedOps = 0;
  return {
    stateDir,
    resumed,
    save() {
      if (flash.ops === savedOps) return;
      // Write then rename: a simulator killed mid-save keeps the previous image whole.
      writeFileSync(`${file}.tmp`, flash.cells);
      renameSync(`${file}.tmp`, file);
      savedOps = flash.ops;
    },
  };
}
