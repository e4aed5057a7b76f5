// A simulated board for the composition root (modules/app/firmware.ts startFirmware, the one
// place the firmware is wired): virtual clock, NOR flash that outlives reboots, seeded crypto
// (optionally charged to an energy meter), the in-process therapy machine, the real GATT adapter
// on the BLE shim's simulated radio, and optionally two firmware banks with a boot record. Each
// boot() is a power-on: fresh RAM (clock, radio, therapy machine), the same flash. As on the
// boards, every flash erase and program stalls the CPU for its datasheet time (cpu-stall.ts),
// and paces come from the hardware pace timer (the device adapter over the mc/ffi shim), which
// keeps its times through a stall.
import { readFileSync } from 'node:fs';
import { toHex } from '../../modules/core/bytes.js';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import { FlashBootControl } from '../../modules/bootloader/boot-control.js';
import { BootRecordStore } from '../../modules/bootloader/boot-record.js';
import type { Slot } from '../../modules/bootloader/boot-record.js';
import { selectBoot } from '../../modules/bootloader/boot-select.js';
import { verifiedBank } from '../../modules/bootloader/bank-image.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { updateKeysFrom } from '../../modules/bootloader/keys.js';
import { TrustStore } from '../../modules/access/trust-store.js';
import type { TrustConfig } from '../../modules/access/trust-store.js';
import type { Clock } from '../../modules/core/clock.js';
import type { FlashArea } from '../../modules/core/flash-area.js';
import type { EnergyMeter } from '../../modules/access/energy.js';
import { meteredCrypto } from '../../modules/access/metered-crypto.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { startFirmware } from '../../modules/app/firmware.js';
import type { Firmware } from '../../modules/app/firmware.js';
import type { ConsoleEvent } from '../../modules/app/console.js';
import type { Board, FirmwarePlatform } from '../../modules/app/platform.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { resetBleRadio } from '../ble/radio.js';
import type { BleRadio, ServiceJson } from '../ble/radio.js';
import { ROOT } from '../fixtures/update-fixture.js';
import { Prng } from '../lib/prng.js';
import { virtualHost, watchPaces } from '../shims/host-control.js';
import { CpuStall, ESP32_FLASH, NRF52840_FLASH } from '../sim/cpu-stall.js';
import { NorFlash } from '../sim/nor-flash.js';
import type { VirtualClock } from '../sim/virtual-clock.js';
import { DevicePaceTimer } from '../../modules/therapy/device-pace-timer.js';
import { PULSE_MS } from '../../modules/therapy/device-io.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import type { PaceTimer } from '../../modules/therapy/pace-timer.js';
import { PIN_MAPS } from '../../modules/therapy/pin-maps.js';
import { LocalTherapyWorker } from './local-worker.js';
import type { Pace } from './local-worker.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

const BLOCK = 4096;
/** Storage: 4 blocks of records, 6 of audit log. Banks: 5 blocks each unless told. Boot record: 2 blocks. */
const RECORD_BLOCKS = 4;
const AUDIT_BLOCKS = 6;
const BANK_BLOCKS = 5;
/** The therapy machine's lane of the clock: it gets the CPU between two flash operations of the main machine. */
const THERAPY_LANE = 'therapy';

/** The trust root the simulated firmware is built with (the update fixture's manufacturer root). */
export const TRUST = Object.freeze({ roots: Object.freeze([toHex(ROOT.publicKey)]), revoked: Object.freeze([]) });

export interface Booted {
  readonly firmware: Firmware;
  readonly clock: VirtualClock;
  readonly radio: BleRadio;
  readonly worker: LocalTherapyWorker | undefined;
  /** Every pace of this boot, by the therapy machine or the backup pacer. */
  readonly paces: Pace[];
  readonly console: ConsoleEvent[];
  /** The CPU stalls of this boot's flash operations, [start, end] (none with flashStalls false). */
  readonly stalls: readonly [number, number][];
  /** Feeds a ventricular sense to the backup pacer (once it runs). */
  senseV(): void;
  /** The board's button (physical presence), debounced, as the device platform reports it. */
  button(held: boolean): void;
  /** The case switch opens. */
  openCase(): void;
  restarts: number;
}

export interface BoardOptions {
  /** Give the board two firmware banks and a boot record (updates and trial boot). */
  readonly banks?: boolean;
  /** The board the firmware is told it runs on (default 'esp32', whose images the update fixture signs). */
  readonly board?: Board;
  /** Seed of the board's random source (default 0x1a9). */
  readonly seed?: number;
  /** Charges every crypto operation the firmware runs to this meter (the flood tests). */
  readonly meter?: EnergyMeter;
  /** Blocks of each bank (default 5): room for a bigger image. */
  readonly bankBlocks?: number;
  /** The trust anchors the firmware and bootloader are built with (default TRUST, the fixture's root). */
  readonly trust?: TrustConfig;
  /** Flash operations stall the CPU (default true; the timing follows `board`: nRF52840 or ESP32). */
  readonly flashStalls?: boolean;
  /**
   * 'hardware' (default): the board's pace timer. 'js-timer': the path before it, a JavaScript
   * timer per pace (ClockPaceTimer), which a stall delays; for the tests that show why.
   */
  readonly pacePath?: 'hardware' | 'js-timer';
}

export class SimBoard {
  readonly storageFlash = new NorFlash({ size: (RECORD_BLOCKS + AUDIT_BLOCKS) * BLOCK, eraseSize: BLOCK, writeSize: 4 });
  readonly bankFlash: NorFlash | undefined;
  /** Makes the therapy machine fail to start, as a worker whose module throws. */
  workerFails = false;
  /** Makes opening the storage flash throw, as a missing partition does. */
  storageFails = false;
  /** Makes the BLE stack refuse the address privacy setting with this error code (the radio's privacyRefusal). */
  privacyRefusal: number | undefined;
  private readonly prng: Prng;
  private readonly bankBlocks: number;
  private readonly trust: TrustConfig;

  constructor(readonly options: BoardOptions = {}) {
    this.prng = new Prng(options.seed ?? 0x1a9);
    this.bankBlocks = options.bankBlocks ?? BANK_BLOCKS;
    this.trust = options.trust ?? TRUST;
    if (options.banks) this.bankFlash = new NorFlash({ size: (2 * this.bankBlocks + 2) * BLOCK, eraseSize: BLOCK, writeSize: 4 });
  }

  get banks(): readonly [FlashArea, FlashArea] {
    if (!this.bankFlash) throw new Error('this board has no banks');
    return [sliceArea(this.bankFlash, 0, this.bankBlocks), sliceArea(this.bankFlash, this.bankBlocks, this.bankBlocks)];
  }

  get bootArea(): FlashArea {
    if (!this.bankFlash) throw new Error('this board has no banks');
    return sliceArea(this.bankFlash, 2 * this.bankBlocks, 2);
  }

  /** Factory programming: the package's image, complete and trusted, in bank `slot`. */
  install(pkg: Uint8Array, slot: Slot): void {
    const { manifestBytes, image } = splitPackage(pkg);
    const opened = openManifest(nobleProvider, manifestBytes, this.keys());
    const bank = this.banks[slot];
    const stager = Stager.start(bank, bankLayout(bank), nobleProvider, opened.manifest, opened.bytes);
    stager.write(0, image);
    if (!stager.complete) throw new Error('installed image did not complete');
  }

  /** Power-on: the bootloader picks a bank (if the board has banks), then main starts the firmware. */
  boot(): Booted {
    const clock = virtualHost('esp32');
    const radio = resetBleRadio();
    radio.maxMtu = 247;
    if (this.options.board === 'nrf52') radio.stack = 'softdevice'; // its privacy call differs (docs/privacy.md)
    radio.privacyRefusal = this.privacyRefusal;
    radio.installServices([service('gap'), service('implant')]);
    const seeded = { ...nobleProvider, randomBytes: (n: number) => this.prng.bytes(n) };
    const crypto = this.options.meter ? meteredCrypto(seeded, this.options.meter) : seeded;
    const paces: Pace[] = [];
    const events: ConsoleEvent[] = [];
    const stalls = this.attachStalls(clock);
    const paceTimer = this.paceTimerFor(paces, () => booted.firmware?.therapy.mode === 'backup' ? 'backup' : 'worker');
    let onSense: () => void = () => {};
    let onButton: (held: boolean) => void = () => {};
    let onTamper: () => void = () => {};
    let worker: LocalTherapyWorker | undefined;
    const booted = {
      clock, radio, paces, console: events, stalls, restarts: 0,
      get worker() {
        return worker;
      },
      senseV: () => onSense(),
      button: (held: boolean) => onButton(held),
      openCase: () => onTamper(),
    } as Booted & { firmware: Firmware };
    if (this.bankFlash) this.runBootloader();
    const platform: FirmwarePlatform = {
      board: this.options.board ?? 'esp32',
      clock,
      crypto,
      resetReason: 'power-on',
      trust: this.trust,
      createTherapyWorker: () => {
        if (this.workerFails) throw new Error('worker: module did not finish loading');
        const lane = clock.lane(THERAPY_LANE);
        worker = new LocalTherapyWorker(clock, lane, paceTimer(lane));
        return worker;
      },
      openBackupIO: () => ({ paceTimer: paceTimer(clock), onVentricularSense: (handler) => void (onSense = handler) }),
      openStorageAreas: () => {
        if (this.storageFails) throw new Error("can't find partition");
        return { records: sliceArea(this.storageFlash, 0, RECORD_BLOCKS), audit: sliceArea(this.storageFlash, RECORD_BLOCKS, AUDIT_BLOCKS) };
      },
      openUpdatePlatform: () => this.bankFlash && {
        banks: this.banks,
        boot: new FlashBootControl(new BootRecordStore(this.bootArea)),
        restart: () => void booted.restarts++,
      },
      watchPresence: (handler) => void (onButton = handler),
      watchTamper: (handler) => void (onTamper = handler),
      startRadio: (options) => void new ImplantGattServer(options),
      console: (event) => void events.push(event),
    };
    booted.firmware = startFirmware(platform);
    return booted;
  }

  /** This boot's CPU stalls for the board's flash operations, on this boot's clock. */
  private attachStalls(clock: VirtualClock): readonly [number, number][] {
    const timing = this.options.board === 'nrf52' ? NRF52840_FLASH : ESP32_FLASH;
    const stall = this.options.flashStalls === false ? undefined : new CpuStall(clock, timing, THERAPY_LANE);
    this.storageFlash.stall = stall;
    if (this.bankFlash) this.bankFlash.stall = stall;
    return stall?.stalls ?? [];
  }

  /**
   * Opens a pace timer (as device-io.ts does, once per machine that paces), recording each pulse
   * when it goes out; `by` says whose it is then.
   */
  private paceTimerFor(paces: Pace[], by: () => Pace['by']): (machine: Clock) => PaceTimer {
    const record = (chamber: Chamber, t: number) => void paces.push({ t, chamber, by: by() });
    if (this.options.pacePath === 'js-timer') return (machine) => new ClockPaceTimer(machine, (chamber) => record(chamber, machine.now()));
    const pins = PIN_MAPS[this.options.board === 'nrf52' ? 'nrf52840-dk' : 'esp32-devkitc'];
    watchPaces(record);
    return (machine) => new DevicePaceTimer(pins, PULSE_MS * 1000, machine);
  }

  /** The update keys of the built-in trust root, as the bootloader and the firmware see them. */
  private keys() {
    return updateKeysFrom(new TrustStore(nobleProvider, this.trust, { load: () => undefined, save: () => {} }));
  }

  /** The stage-2 bootloader: verifies the banks with the built-in root and writes its decision. */
  private runBootloader(): void {
    const keys = this.keys();
    const inspect = (slot: Slot) => verifiedBank(this.banks[slot], bankLayout(this.banks[slot]), nobleProvider, keys);
    selectBoot(new BootRecordStore(this.bootArea), inspect, 0);
  }
}
