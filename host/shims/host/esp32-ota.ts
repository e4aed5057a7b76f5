// The ESP32 OTA data on the host: the "otadata" partition in ESP-IDF's byte format, the OTA app
// partitions (ota_0, ota_1), which of them runs, and the two programs that change otadata: the
// second-stage bootloader at every reset (bootloader_utility.c, with
// CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE=y) and the app's esp_ota_ops.c calls that
// modules/bootloader/native/esp32_ota.c makes. Everything lives in NorFlash cells, so a state
// directory or a power cut treats otadata like any other partition.
//
// otadata is two 4 KiB sectors, each holding one esp_ota_select_entry_t (little-endian):
//   0 ota_seq u32 | 4 seq_label[20] | 24 ota_state u32 | 28 crc u32 = CRC-32 of ota_seq only.
// An entry counts if its CRC matches, its seq is not 0xFFFFFFFF and its state is neither
// INVALID nor ABORTED; the counting entry with the higher seq selects app slot (seq - 1) % slots.
//
// Not modelled: the image check (esp_image_verify) is a hook, since the host runs main.ts and not
// what an app partition holds; the bootloader's fallback to another slot when the selected image
// fails to load; factory and test app partitions (this layout has none); anti-rollback eFuses.
import { crc32 } from '../../../modules/storage/crc32.js';
import type { NorFlash } from '../../sim/nor-flash.js';

/** esp_ota_img_states_t. */
export const OtaImgState = Object.freeze({ NEW: 0, PENDING_VERIFY: 1, VALID: 2, INVALID: 3, ABORTED: 4, UNDEFINED: 0xffffffff });

/** The esp_err_t values these calls return. */
export const EspErr = Object.freeze({
  OK: 0,
  FAIL: -1,
  INVALID_ARG: 0x102,
  NOT_FOUND: 0x105,
  NOT_SUPPORTED: 0x106,
  OTA_VALIDATE_FAILED: 0x1503,
  OTA_ROLLBACK_FAILED: 0x1505,
});

const SECTOR = 0x1000;
const ENTRY_SIZE = 32;
const UNSET = 0xffffffff;

export interface OtaEntry {
  seq: number;
  label: Uint8Array;
  state: number;
  crc: number;
}

export interface Esp32OtaPartitions {
  /** The otadata partition: two 4 KiB sectors. */
  readonly otadata: NorFlash;
  /** ota_0, ota_1, ... in subtype order. */
  readonly apps: readonly NorFlash[];
  /**
   * esp_image_verify over an app partition (header, SHA-256, Secure Boot signature on the chip).
   * Default: the partition is not blank, since a blank one has no image header.
   */
  readonly verifyImage?: (app: NorFlash) => boolean;
}

/**
 * bootloader_common_ota_select_crc: esp_rom_crc32_le(UINT32_MAX, &ota_seq, 4). The ROM inverts
 * the CRC on the way in and out as zlib does, so the register starts at 0 (seq 1 gives 0x4743989A).
 */
export function otaSeqCrc(seq: number): number {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, seq, true);
  return crc32(bytes, 0xffffffff);
}

function notBlank(app: NorFlash): boolean {
  return app.cells.subarray(0, ENTRY_SIZE).some((b) => b !== 0xff);
}

/** bootloader_common_ota_select_valid. */
function counts(e: OtaEntry): boolean {
  return e.seq !== UNSET && e.state !== OtaImgState.INVALID && e.state !== OtaImgState.ABORTED && e.crc === otaSeqCrc(e.seq);
}

/** bootloader_common_select_otadata(..., max = true): the index of the entry in force, or -1. */
function activeIndex(entries: readonly OtaEntry[]): number {
  const [a, b] = [counts(entries[0]), counts(entries[1])];
  if (a && b) return Math.max(entries[0].seq, entries[1].seq) === entries[0].seq ? 0 : 1;
  return a ? 0 : b ? 1 : -1;
}

export class Esp32Ota {
  readonly otadata: NorFlash;
  readonly apps: readonly NorFlash[];
  private readonly verifyImage: (app: NorFlash) => boolean;
  private running = 0;

  /** Installs the partitions and powers the chip on: the bootloader runs once. */
  constructor(partitions: Esp32OtaPartitions) {
    if (partitions.apps.length < 2) throw new RangeError('an OTA layout needs at least two app partitions');
    if (partitions.otadata.size !== 2 * SECTOR || partitions.otadata.eraseSize !== SECTOR) throw new RangeError('otadata is two 4 KiB sectors');
    this.otadata = partitions.otadata;
    this.apps = partitions.apps;
    this.verifyImage = partitions.verifyImage ?? notBlank;
    this.reset();
  }

  /** A reset: the second-stage bootloader picks the app slot (bootloader_utility_get_selected_boot_partition) and runs it. */
  reset(): number {
    const entries = this.readEntries();
    const initial = entries.every((e) => e.seq === UNSET || e.crc !== otaSeqCrc(e.seq));
    if (initial) {
      // No factory app: boot ota_0 and record it (set_actual_ota_seq).
      this.writeEntry(0, { seq: 1, label: new Uint8Array(20).fill(0xff), state: OtaImgState.VALID, crc: otaSeqCrc(1) });
      return (this.running = 0);
    }
    // A trial that reached this reset unconfirmed has failed.
    entries.forEach((e, i) => {
      if (e.state !== OtaImgState.PENDING_VERIFY) return;
      entries[i] = { ...e, state: OtaImgState.ABORTED };
      this.writeEntry(i, entries[i]);
    });
    const active = activeIndex(entries);
    if (active === -1) return (this.running = 0); // "ota data partition invalid and no factory, will try all partitions"
    const entry = entries[active];
    if (entry.state === OtaImgState.NEW) this.writeEntry(active, { ...entry, state: OtaImgState.PENDING_VERIFY });
    return (this.running = this.slotOf(entry.seq));
  }

  /** esp_ota_get_running_partition, as a slot. */
  runningSlot(): number {
    return this.running;
  }

  /** esp_ota_get_boot_partition, as a slot; undefined where ESP-IDF returns NULL (no factory app). */
  bootSlot(): number | undefined {
    const entries = this.readEntries();
    if (entries.every((e) => e.seq === UNSET)) return undefined;
    const active = activeIndex(entries);
    return active === -1 ? undefined : this.slotOf(entries[active].seq);
  }

  /** esp_ota_get_next_update_partition(NULL): the slot after the running one, wrapping. */
  nextUpdateSlot(): number {
    return (this.running + 1) % this.apps.length;
  }

  /** What Moddable's `new Flash("running")` and `new Flash("nextota")` open. */
  partition(label: 'running' | 'nextota'): NorFlash {
    return this.apps[label === 'running' ? this.running : this.nextUpdateSlot()];
  }

  /** esp_ota_get_state_partition: the first entry (sector order) that maps to `slot` with a good CRC. */
  stateOf(slot: number): { err: number; state?: number } {
    const found = this.readEntries().find((e) => this.slotOf(e.seq) === slot && e.crc === otaSeqCrc(e.seq));
    return found ? { err: EspErr.OK, state: found.state } : { err: EspErr.NOT_FOUND };
  }

  /** esp_ota_set_boot_partition for an OTA slot: verify its image, then esp_rewrite_ota_data. */
  setBootPartition(slot: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.apps.length) return EspErr.INVALID_ARG;
    if (!this.verifyImage(this.apps[slot])) return EspErr.OTA_VALIDATE_FAILED;
    const entries = this.readEntries();
    const count = this.apps.length;
    const active = activeIndex(entries);
    // The smallest seq not below the active one that selects `slot` (ota_seq only grows).
    let seq = slot + 1;
    if (active !== -1) {
      const base = (slot + 1) % count;
      let i = 0;
      while (entries[active].seq > base + i * count) i++;
      seq = base + i * count;
    }
    const next = active === -1 ? 0 : 1 - active;
    return this.writeEntry(next, { ...entries[next], seq, state: OtaImgState.NEW, crc: otaSeqCrc(seq) });
  }

  /** esp_ota_mark_app_valid_cancel_rollback: the entry in force becomes VALID. */
  markValid(): number {
    const entries = this.readEntries();
    const active = activeIndex(entries);
    if (active === -1) return EspErr.FAIL; // "Running firmware is factory"
    if (entries[active].state === OtaImgState.VALID) return EspErr.OK;
    return this.writeEntry(active, { ...entries[active], state: OtaImgState.VALID });
  }

  /**
   * The otadata half of esp_ota_mark_app_invalid_rollback_and_reboot: the entry in force becomes
   * INVALID if the other entry selects a verifiable image (check_rollback_is_possible). On OK the
   * caller restarts the chip; the next reset() boots the previous image.
   */
  markInvalid(): number {
    const entries = this.readEntries();
    const active = activeIndex(entries);
    if (active === -1) return EspErr.FAIL;
    const previous = entries[1 - active];
    if (!counts(previous) || !this.verifyImage(this.apps[this.slotOf(previous.seq)])) return EspErr.OTA_ROLLBACK_FAILED;
    return this.writeEntry(active, { ...entries[active], state: OtaImgState.INVALID });
  }

  /** Both otadata entries as the flash holds them. */
  readEntries(): OtaEntry[] {
    return [0, 1].map((i) => {
      const bytes = this.otadata.read(i * SECTOR, ENTRY_SIZE);
      const view = new DataView(bytes.buffer, bytes.byteOffset, ENTRY_SIZE);
      return { seq: view.getUint32(0, true), label: bytes.slice(4, 24), state: view.getUint32(24, true), crc: view.getUint32(28, true) };
    });
  }

  /** (ota_seq - 1) % slots, in C's uint32_t arithmetic. */
  private slotOf(seq: number): number {
    return ((seq - 1) >>> 0) % this.apps.length;
  }

  /** rewrite_ota_seq / the bootloader's write_otadata: erase the entry's sector, then program it. */
  private writeEntry(index: number, entry: OtaEntry): number {
    const bytes = new Uint8Array(ENTRY_SIZE);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, entry.seq, true);
    bytes.set(entry.label, 4);
    view.setUint32(24, entry.state, true);
    view.setUint32(28, entry.crc, true);
    this.otadata.eraseBlock(index);
    this.otadata.program(index * SECTOR, bytes);
    return EspErr.OK;
  }
}
