// A whole device for update tests and the power-cut campaign: one simulated NOR chip cut into
// the two banks, the boot-record area and the storage area (security counter), with the
// portable bootloader deciding at every power-on exactly as a stage-2 bootloader would.
import { verifiedBank } from '../../modules/bootloader/bank-image.js';
import { BootRecordStore, type Slot } from '../../modules/bootloader/boot-record.js';
import { FlashBootControl } from '../../modules/bootloader/boot-control.js';
import { selectBoot, type BootChoice } from '../../modules/bootloader/boot-select.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { TrialSupervisor, type SelfTestResult } from '../../modules/bootloader/trial.js';
import { UpdateService, type UpdateEvent } from '../../modules/bootloader/update-service.js';
import { securityCounterFrom, type SecurityCounter } from '../../modules/bootloader/security-counter.js';
import { Counters } from '../../modules/storage/counters.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import type { FlashArea } from '../../modules/core/flash-area.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { NorFlash, type NorGeometry } from '../sim/nor-flash.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { CLASS_ID, crypto, VENDOR_ID } from './fixture.js';
import type { KeyLookup } from '../../modules/bootloader/signed-manifest.js';

export interface SimLayout {
  readonly name: string;
  readonly geometry: Omit<NorGeometry, 'size'>;
  /** Erase blocks per bank (the last one is the bank trailer). */
  readonly bankBlocks: number;
  /** Erase blocks of the storage area holding the security counter. */
  readonly storageBlocks: number;
}

/**
 * Both chips erase 4 KiB sectors. ESP32 with flash encryption programs 16-byte blocks;
 * the nRF52840 NVMC programs 32-bit words. Banks are scaled down (the logic does not depend
 * on their size); docs/bootloader.md gives the full-size partition tables.
 */
export const SIM_LAYOUTS: readonly SimLayout[] = Object.freeze([
  Object.freeze({ name: 'esp32', geometry: Object.freeze({ eraseSize: 4096, writeSize: 16 }), bankBlocks: 5, storageBlocks: 3 }),
  Object.freeze({ name: 'nrf52', geometry: Object.freeze({ eraseSize: 4096, writeSize: 4 }), bankBlocks: 5, storageBlocks: 3 }),
]);

export interface SimOptions {
  readonly layout: SimLayout;
  readonly keys: KeyLookup;
  /** The therapy self-test result for a trial image. */
  selfTest: () => Promise<SelfTestResult>;
  readonly confirmWithinMs?: number;
  /** The firmware the device accepts (default: the test fixture's ids). */
  readonly vendorId?: Uint8Array;
  readonly classId?: Uint8Array;
  /** The device's clock (default: its own virtual clock). */
  readonly clock?: VirtualClock;
  /** Crypto for the device (default: noble). */
  readonly crypto?: CryptoProvider;
}

/** What the device runs after a power-on. */
export interface Running {
  readonly choice: BootChoice;
  readonly service: UpdateService;
  readonly supervisor: TrialSupervisor;
  readonly counter: SecurityCounter;
  readonly events: UpdateEvent[];
}

export class SimDevice {
  readonly chip: NorFlash;
  readonly banks: readonly [FlashArea, FlashArea];
  readonly bootArea: FlashArea;
  readonly storageArea: FlashArea;
  readonly clock: VirtualClock;
  restartRequested = false;
  readonly crypto: CryptoProvider;

  constructor(readonly options: SimOptions) {
    const { layout } = options;
    this.crypto = options.crypto ?? crypto;
    this.clock = options.clock ?? new VirtualClock();
    const blocks = 2 * layout.bankBlocks + 2 + layout.storageBlocks;
    this.chip = new NorFlash({ ...layout.geometry, size: blocks * layout.geometry.eraseSize });
    this.banks = [sliceArea(this.chip, 0, layout.bankBlocks), sliceArea(this.chip, layout.bankBlocks, layout.bankBlocks)];
    this.bootArea = sliceArea(this.chip, 2 * layout.bankBlocks, 2);
    this.storageArea = sliceArea(this.chip, 2 * layout.bankBlocks + 2, layout.storageBlocks);
  }

  /** Factory programming: the package's image, complete and trusted, in bank `slot`. */
  install(pkg: Uint8Array, slot: Slot = 0): void {
    const { manifestBytes, image } = splitPackage(pkg);
    const opened = openManifest(this.crypto, manifestBytes, this.options.keys);
    const bank = this.banks[slot];
    const stager = Stager.start(bank, bankLayout(bank), this.crypto, opened.manifest, opened.bytes);
    stager.write(0, image);
    if (!stager.complete) throw new Error('installed image did not complete');
  }

  /**
   * A device that was updated once before: `previous` (older, lower counter) left in bank 0,
   * `current` confirmed in bank 1, the security counter at `current`'s.
   */
  installUpdated(previous: Uint8Array, current: Uint8Array, counter: number): void {
    this.install(previous, 0);
    this.install(current, 1);
    new BootRecordStore(this.bootArea).write({ state: 'confirmed', confirmed: 1, trial: 1, note: 'confirmed' });
    securityCounterFrom(new Counters(new RecordStore(this.storageArea))).raise(counter);
  }

  /**
   * Power-on (after a cut, a restart or for the first time): bootloader, then the firmware.
   * `beforeBoot` runs once the chip has power, so a test can arm a cut inside the boot itself.
   */
  powerOn(beforeBoot?: () => void): Running {
    this.chip.powerOn();
    beforeBoot?.();
    this.restartRequested = false;
    // The storage layer mounts (and repairs) first, as the firmware's start-up does.
    const counter = securityCounterFrom(new Counters(new RecordStore(this.storageArea)));
    const records = new BootRecordStore(this.bootArea);
    const inspect = (slot: Slot) => verifiedBank(this.banks[slot], bankLayout(this.banks[slot]), this.crypto, this.options.keys);
    const choice = selectBoot(records, inspect, counter.read());
    const boot = new FlashBootControl(records);
    const restart = () => void (this.restartRequested = true);
    const events: UpdateEvent[] = [];
    const onEvent = (e: UpdateEvent) => void events.push(e);
    const platform = { banks: this.banks, boot, restart };
    // The bootloader verified the bank it chose; the firmware takes that manifest as its own.
    const running = choice.manifest;
    const crypto = this.crypto;
    const service = new UpdateService({
      running, crypto, keys: this.options.keys, vendorId: this.options.vendorId ?? VENDOR_ID, classId: this.options.classId ?? CLASS_ID, platform, counter,
      clock: this.clock, time: () => undefined, onEvent,
    });
    const supervisor = new TrialSupervisor({
      running, boot, counter, clock: this.clock,
      selfTest: () => this.options.selfTest(), restart, confirmWithinMs: this.options.confirmWithinMs ?? 60_000, onEvent,
    });
    return { choice, service, supervisor, counter, events };
  }

  /** Bytes of the whole chip, to prove a refused package changed nothing. */
  snapshot(): Uint8Array {
    return this.chip.cells.slice();
  }
}
