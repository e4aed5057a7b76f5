// The nRF52 boot stage's power-cut campaign. The C core (platforms/nrf52/boot-stage, host build
// over simulated NOR files) is driven with what the TypeScript side really writes: packages from
// `implant sign`, staged into the QSPI slots by the firmware's own UpdateService and activated by
// it. Power is cut (plain and torn) at every erase and program of the stage's install of a new
// image, of its revert of a trial that reset before confirming, and of its repair of a damaged
// internal copy; after each cut the board boots again. This checker shares no code with the C
// core: it compares the internal flash byte for byte with the images cut from the package files,
// reads the boot record with modules/bootloader/boot-record.ts, and checks from the runner's
// trace of every power-on that no internal erase or program happens while the backup pacer is off.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootRecordStore, type BootRecord } from '../../modules/bootloader/boot-record.js';
import { FlashBootControl } from '../../modules/bootloader/boot-control.js';
import { nrf52UpdatePlatform, type QspiNative } from '../../modules/bootloader/device-nrf52-boot.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { NRF52_QSPI_LAYOUT, qspiUpdateAreas, type QspiLayout } from '../../modules/bootloader/qspi-layout.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import { decodeManifest } from '../../modules/bootloader/manifest.js';
import { decodeSign1 } from '../../modules/core/cose.js';
import { Stager } from '../../modules/bootloader/stager.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import type { TrialOutcome } from '../../modules/bootloader/trial.js';
import type { UpdateEvent } from '../../modules/bootloader/update-service.js';
import { updateParts } from '../../modules/app/update-start.js';
import { equalBytes, toHex } from '../../modules/core/bytes.js';
import { privateKeyToPem } from '../../tools/flash/keys.js';
import { stagedSlot } from '../../tools/flash/qspi-image.js';
import { main as implant } from '../../tools/cli/main.js';
import { NorFlash } from '../sim/nor-flash.js';
import { VirtualClock } from '../sim/virtual-clock.js';
import { crypto, type SigningKey } from '../fixtures/update-fixture.js';
import { Prng } from '../lib/prng.js';

export const STAGE_DIR = 'platforms/nrf52/boot-stage';
export const STAGE_SIM = `${STAGE_DIR}/build/host/boot-stage-sim`;

const SECTOR = 4096;

/** Both chips of a simulated board and where the stage's areas are on them. */
export interface StageGeometry {
  readonly qspi: QspiLayout;
  readonly qspiBytes: number;
  /** The application region in internal flash; below it the MBR and SoftDevice, above it Moddable's storage. */
  readonly appOffset: number;
  readonly appLimit: number;
  /** The internal sector where the stage keeps the manifest of the image the application region holds. */
  readonly installedOffset: number;
  readonly internalBytes: number;
}

/**
 * Scaled: the shape of NRF52_QSPI_LAYOUT with 8-sector slots (the stage's logic does not depend
 * on sizes), sector 0 of internal flash standing for the MBR and SoftDevice.
 */
export const SIM_GEOMETRY: StageGeometry = Object.freeze({
  qspi: Object.freeze({ recordOffset: 0, floorOffset: 0x2000, slotOffsets: Object.freeze([0x4000, 0xc000] as const), slotSize: 0x8000 }),
  qspiBytes: 0x14000,
  appOffset: 0x1000,
  appLimit: 0x9000,
  installedOffset: 0xa000,
  internalBytes: 0xb000,
});
export const SIM_QSPI = SIM_GEOMETRY.qspi;

/** The DK itself: 8 MiB QSPI, 1 MiB internal flash (platforms/nrf52/boot-stage/nrf52/config.h). */
export const DK_GEOMETRY: StageGeometry = Object.freeze({
  qspi: NRF52_QSPI_LAYOUT, qspiBytes: 0x800000, appOffset: 0x27000, appLimit: 0xdf000, installedOffset: 0xfd000, internalBytes: 0x100000,
});

/** Builds the host runner (gcc + libsodium); throws with make's output if it cannot. */
export function buildStageSim(): void {
  const made = spawnSync('make', ['-s', '-C', STAGE_DIR, 'host'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`make host failed:\n${made.stdout}${made.stderr}`);
}

export interface StageRun {
  readonly ops: number;
  readonly cut: boolean;
  readonly violations: number;
  /** In order: the backup pacer's HAL calls (P on, p off), the internal flash's erases (E) and programs (W). */
  readonly trace: string;
  readonly started?: boolean;
  readonly slot?: number;
  readonly trial?: boolean;
  readonly note?: number;
  readonly copied?: boolean;
  readonly floor?: number;
  readonly counter?: number;
  readonly version?: string;
}

/** A package made by `implant sign`, with its image as cut from the package file. */
export interface Signed {
  readonly pkg: Uint8Array;
  readonly image: Uint8Array;
  readonly version: string;
  readonly counter: number;
}

/** Signs `image` with the project's CLI (`implant sign --class nrf52`) in a scratch directory. */
export async function implantSign(dir: string, key: SigningKey, image: Uint8Array, version: string, counter: number): Promise<Signed> {
  const keyFile = join(dir, `${toHex(key.kid)}.key.pem`), imageFile = join(dir, `${version}-${counter}.bin`), out = `${imageFile}.pkg`;
  writeFileSync(keyFile, privateKeyToPem('ed25519', key.secretKey), { mode: 0o600 });
  writeFileSync(imageFile, image);
  const said: string[] = [];
  const status = await implant(['sign', '--key', keyFile, '--version', version, '--counter', String(counter), '--class', 'nrf52', '--force', imageFile, '-o', out], { out: (t) => void said.push(t), err: (t) => void said.push(t) });
  if (status !== 0) throw new Error(`implant sign: ${said.join('')}`);
  const pkg = new Uint8Array(readFileSync(out));
  return { pkg, image: splitPackage(pkg).image.slice(), version, counter };
}

/**
 * One simulated nRF52840: the QSPI chip as the firmware sees it (NorFlash + the firmware's own
 * update code) and the internal flash, both handed to the C stage as files at each power-on.
 */
export class StageBoard {
  readonly qspi: NorFlash;
  internal: Uint8Array;
  private readonly dir = mkdtempSync(join(tmpdir(), 'boot-stage-'));
  readonly clock = new VirtualClock();
  readonly events: UpdateEvent[] = [];
  /** Internal erases and programs seen, all while the backup pacer ran (powerOn throws otherwise). */
  pacedWrites = 0;

  constructor(private readonly trusted: readonly Uint8Array[], readonly geometry: StageGeometry = SIM_GEOMETRY) {
    this.qspi = new NorFlash({ size: geometry.qspiBytes, eraseSize: SECTOR, writeSize: 4 });
    // What the stage must never write: the MBR/SoftDevice below it and the storage above it.
    this.internal = new Uint8Array(geometry.internalBytes).fill(0xff);
    this.internal.fill(0x5a, 0, geometry.appOffset);
    this.internal.fill(0xa5, geometry.appLimit);
  }

  get areas() {
    return qspiUpdateAreas(this.qspi, this.geometry.qspi);
  }

  /** The application region's bytes. */
  app(): Uint8Array {
    return this.internal.subarray(this.geometry.appOffset, this.geometry.appLimit);
  }

  /** Whether the bytes outside the application region and the installed-manifest sector are as the factory left them. */
  outsideAppUntouched(): boolean {
    const { appOffset, appLimit, installedOffset } = this.geometry;
    const above = [...this.internal.subarray(appLimit, installedOffset), ...this.internal.subarray(installedOffset + SECTOR)];
    return !this.internal.subarray(0, appOffset).some((b) => b !== 0x5a) && !above.some((b) => b !== 0xa5);
  }

  bootRecord(): BootRecord {
    return new BootRecordStore(this.areas.bootRecord).read();
  }

  /** Factory programming through the J-Link: the slot qspi-image.ts makes from a package, nothing else. */
  factoryStage(signed: Signed, slot: 0 | 1): void {
    this.qspi.cells.set(stagedSlot(signed.pkg, this.trusted[0], this.geometry.qspi), this.geometry.qspi.slotOffsets[slot]);
  }

  /**
   * Writes a package into `slot` without any of the firmware's checks, as someone with access
   * to the QSPI chip could, and (unless `activate` is false) asks for its trial: the stage alone
   * must refuse a bad one.
   */
  plant(pkg: Uint8Array, slot: 0 | 1, activate = true): void {
    const bank = this.areas.banks[slot];
    const { manifestBytes, image } = splitPackage(pkg);
    const manifest = decodeManifest(decodeSign1(manifestBytes).payload);
    Stager.start(bank, bankLayout(bank), crypto, manifest, manifestBytes).write(0, image);
    if (activate) new FlashBootControl(new BootRecordStore(this.areas.bootRecord)).requestTrial(slot);
  }

  /**
   * A power-on of the board: the C stage runs (losing power during operation `cut`, if given;
   * with `qspiDead` the QSPI chip does not answer).
   */
  powerOn(cut?: { at: number; tornSeed?: number }, qspiDead = false): StageRun {
    const ext = join(this.dir, 'qspi.bin'), int = join(this.dir, 'internal.bin');
    writeFileSync(ext, this.qspi.cells);
    writeFileSync(int, this.internal);
    const args = ['--ext', ext, '--int', int, '--layout', stageLayoutArg(this.geometry), '--vendor', uuidHex(IMPLANT_VENDOR_UUID), '--class', uuidHex(BOARD_CLASS_UUIDS.nrf52)];
    for (const key of this.trusted) args.push('--key', toHex(key));
    if (cut) args.push('--cut', String(cut.at));
    if (cut?.tornSeed !== undefined) args.push('--torn', String(cut.tornSeed));
    if (qspiDead) args.push('--qspi', 'dead');
    const ran = spawnSync(STAGE_SIM, args, { encoding: 'utf8' });
    if (ran.status !== 0) throw new Error(`boot-stage-sim: ${ran.stderr}`);
    this.qspi.cells.set(readFileSync(ext));
    this.internal = new Uint8Array(readFileSync(int));
    const run = JSON.parse(ran.stdout) as StageRun;
    const fault = pacingFault(run);
    if (fault) throw new Error(`backup pacing: ${fault} (trace ${run.trace})`);
    this.pacedWrites += run.trace.replace(/[Pp]/g, '').length;
    return run;
  }

  /** The firmware after a start: its update parts over the device adapter (device-nrf52-boot.ts) on this QSPI chip. */
  firmware(keys: Parameters<typeof openManifest>[2], counter: { value: number }) {
    // The reset the firmware asks for is the caller's next powerOn.
    const platform = nrf52UpdatePlatform(() => {}, qspiNativeOver(this.qspi), this.geometry.qspi);
    if (!platform) throw new Error('no QSPI chip');
    return updateParts({
      platform,
      crypto, keys, clock: this.clock, vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS.nrf52)!, time: () => undefined,
      counter: { read: () => counter.value, raise: (v) => void (counter.value = Math.max(counter.value, v)) },
      onEvent: (e) => void this.events.push(e),
      selfTest: () => Promise.resolve({ passed: true }),
    });
  }

  /** The manufacturer's update through the firmware's UpdateService, in BLE-sized chunks, then activation. */
  sendUpdate(keys: Parameters<typeof openManifest>[2], counter: { value: number }, signed: Signed): void {
    const { service } = this.firmware(keys, counter);
    const { manifestBytes, image } = splitPackage(signed.pkg);
    service.begin(UPDATE_ROLE, manifestBytes);
    for (let at = 0; at < image.length; at += 244) service.chunk(UPDATE_ROLE, at, image.subarray(at, at + 244));
    service.activate(UPDATE_ROLE);
  }

  /** The firmware's trial decision (TrialSupervisor) after a start. */
  trial(keys: Parameters<typeof openManifest>[2], counter: { value: number }): Promise<TrialOutcome> {
    return this.firmware(keys, counter).supervisor.start();
  }

  snapshot(): { qspi: Uint8Array; internal: Uint8Array } {
    return { qspi: this.qspi.cells.slice(), internal: this.internal.slice() };
  }

  restore(s: { qspi: Uint8Array; internal: Uint8Array }): void {
    this.qspi.cells.set(s.qspi);
    this.internal = s.internal.slice();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** native/nrf52_qspi.c's calls over a simulated chip, with its refusals (-1): reads take any range, programs whole words. */
export function qspiNativeOver(chip: NorFlash): QspiNative {
  const call = (fn: () => void): number => {
    try {
      fn();
      return 0;
    } catch {
      return -1;
    }
  };
  const words = (address: number, length: number): void => {
    if (address % 4 || length % 4) throw new RangeError('QSPI transfers are whole words');
  };
  return {
    implant_qspi_open: () => chip.size,
    implant_qspi_read: (buffer, address, length) => call(() => new Uint8Array(buffer).set(chip.read(address, length))),
    implant_qspi_write: (buffer, address, length) => call(() => (words(address, length), chip.program(address, new Uint8Array(buffer, 0, length)))),
    implant_qspi_erase: (address) => call(() => {
      if (address % chip.eraseSize) throw new RangeError('QSPI erases whole sectors');
      chip.eraseBlock(address / chip.eraseSize);
    }),
  };
}

/**
 * The pacing property of one power-on, from its trace alone: the backup pacer starts before
 * anything else (the checks of a boot that writes nothing take longer than an escape interval;
 * a cut boot's recovery starts with it off, so starts it again), runs at every internal erase
 * and program, is started once (a restart would restart its escape interval), and at the end
 * of a boot is off when an image starts (its own pacer takes over) and on when none does.
 * A cut boot ends wherever the cut fell.
 */
export function pacingFault(run: Pick<StageRun, 'trace' | 'cut' | 'started'>): string | undefined {
  if (run.trace[0] !== 'P') return `the boot began with ${run.trace[0] ?? 'nothing'}, not the backup pacer`;
  let on = false;
  for (const [i, step] of [...run.trace].entries()) {
    if (step === 'P' && on) return `pacing restarted at step ${i}`;
    if ((step === 'E' || step === 'W') && !on) return `internal ${step === 'E' ? 'erase' : 'program'} at step ${i} while the backup pacer was off`;
    if (step === 'P' || step === 'p') on = step === 'P';
  }
  if (run.cut || on !== run.started) return undefined;
  return run.started ? 'still pacing as the image starts' : 'nothing starts and nothing paces';
}

function uuidHex(uuid: string): string {
  return toHex(uuidBytes(uuid)!);
}

function stageLayoutArg(g: StageGeometry): string {
  const l = g.qspi;
  return [l.recordOffset, l.floorOffset, l.slotOffsets[0], l.slotOffsets[1], l.slotSize, g.appOffset, g.appLimit, g.installedOffset].join(',');
}

export interface CutTotals {
  /** Power cuts made, torn ones and second cuts (during the boot after a cut) among them. */
  cuts: number;
  torn: number;
  second: number;
  /** Runs (a cut, maybe a second, then a clean boot) by how they ended. */
  booted_valid: number;
  bricked: number;
  mixed: number;
  downgraded: number;
  unexpected: number;
  /** Internal erases and programs across every power-on, each made while the backup pacer ran. */
  paced_writes: number;
}

/** What a boot must end in: the image the board runs, and whether on trial. */
export interface Expectation {
  readonly image: Signed;
  readonly trial: boolean;
  /** Counter the stage's floor must be at least. */
  readonly floor: number;
}

/**
 * Checks one board after a boot, independently of the C code: the internal application bytes
 * are exactly the expected image's (never a mix), the bytes outside the application region are
 * untouched, the boot record agrees, and the floor is not below `floor`.
 */
export function checkBoot(board: StageBoard, run: StageRun, expect: Expectation, images: readonly Signed[]): 'ok' | 'bricked' | 'mixed' | 'downgraded' | 'unexpected' {
  if (run.cut || !run.started || run.violations !== 0) return 'bricked';
  const app = board.app();
  const holds = images.filter((s) => equalPrefix(app, s.image));
  if (holds.length !== 1 || !board.outsideAppUntouched()) return 'mixed';
  if ((run.floor ?? 0) < expect.floor || (run.counter ?? 0) < (run.floor ?? 0)) return 'downgraded';
  const record = board.bootRecord();
  const onTrial = record.state === 'trying' && record.trial === run.slot;
  if (holds[0] !== expect.image || run.version !== expect.image.version || run.trial !== expect.trial || onTrial !== expect.trial) return 'unexpected';
  if (!expect.trial && !(record.state === 'confirmed' && (record.seq === 0 || record.confirmed === run.slot))) return 'unexpected';
  return 'ok';
}

function equalPrefix(region: Uint8Array, image: Uint8Array): boolean {
  return image.length <= region.length && equalBytes(region.subarray(0, image.length), image);
}

/**
 * Cuts power at every flash operation of the boot that starts from `start`, plain and with
 * `tornSeeds` torn variants. Every other time the recovery boot is cut too, at a random
 * operation of its own (a second cut while the stage repeats its work); then the board boots
 * once more and must meet `expect`. Each cut point runs from a restored copy of `start`.
 */
export function cutEveryOperation(board: StageBoard, expect: Expectation, images: readonly Signed[], tornSeeds: number, totals: CutTotals, prng: Prng): number {
  const start = board.snapshot();
  const ops = board.powerOn().ops;
  const cut = (at: number, torn: boolean): StageRun => {
    const run = board.powerOn({ at, tornSeed: torn ? prng.nextU32() : undefined });
    if (run.cut) {
      totals.cuts++;
      if (torn) totals.torn++;
    }
    return run;
  };
  for (let at = 1; at <= ops; at++) {
    for (let variant = 0; variant <= tornSeeds; variant++) {
      board.restore(start);
      if (!cut(at, variant > 0).cut) throw new Error(`operation ${at} of ${ops} did not cut`);
      let last = prng.next() < 0.5 ? cut(prng.int(1, ops + 2), prng.next() < 0.5) : undefined;
      if (last?.cut) totals.second++;
      if (!last || last.cut) last = board.powerOn();
      const verdict = checkBoot(board, last, expect, images);
      totals[verdict === 'ok' ? 'booted_valid' : verdict]++;
    }
  }
  board.restore(start);
  return ops;
}

export function emptyCutTotals(): CutTotals {
  return { cuts: 0, torn: 0, second: 0, booted_valid: 0, bricked: 0, mixed: 0, downgraded: 0, unexpected: 0, paced_writes: 0 };
}

export interface StagePackages {
  readonly old: Signed;
  readonly next: Signed;
}

/** The fixture's images: sizes that end mid-sector and differ, so a longer old tail would show. */
export async function stagePackages(dir: string, key: SigningKey): Promise<StagePackages> {
  return {
    old: await implantSign(dir, key, new Prng(11).bytes(17_000), '1.0.0', 3),
    next: await implantSign(dir, key, new Prng(22).bytes(22_222), '1.1.0', 4),
  };
}

export interface CampaignOptions {
  readonly key: SigningKey;
  readonly keys: Parameters<typeof openManifest>[2];
  readonly packages: StagePackages;
  /** Torn variants per cut point, besides the plain cut. */
  readonly tornSeeds: number;
  readonly onCoverage?: (phase: string, ops: number) => void;
}

/**
 * The phases, each cut at every operation: the factory's first copy (blank internal flash), the
 * install of an update sent through UpdateService, the revert of its trial after a reset before
 * the confirm, the boot after the confirm (the floor rises), and the repair of a damaged copy.
 */
export async function runBootStageCampaign(o: CampaignOptions): Promise<CutTotals> {
  const totals = emptyCutTotals();
  const prng = new Prng(0xb007);
  const { old, next } = o.packages;
  const images = [old, next];
  const counter = { value: 0 };
  const board = new StageBoard([o.key.publicKey]);
  try {
    const phase = (name: string, expect: Expectation): void => {
      o.onCoverage?.(name, cutEveryOperation(board, expect, images, o.tornSeeds, totals, prng));
      const verdict = checkBoot(board, board.powerOn(), expect, images);
      if (verdict !== 'ok') throw new Error(`${name}: the uncut boot was ${verdict}`);
      // With the QSPI chip dead, the same image must still start, from its kept manifest, and nothing be written.
      const before = board.snapshot();
      const alone = board.powerOn(undefined, true);
      if (!alone.started || alone.version !== expect.image.version || alone.ops !== 0 || !equalPrefix(board.app(), expect.image.image) || !equalPrefix(board.qspi.cells, before.qspi)) {
        throw new Error(`${name}: with the QSPI chip dead the board ran ${alone.started ? alone.version : 'nothing'}`);
      }
    };
    board.factoryStage(old, 0);
    phase('factory copy', { image: old, trial: false, floor: old.counter });
    if ((await board.trial(o.keys, counter)) !== 'not-on-trial') throw new Error('factory image on trial');
    board.sendUpdate(o.keys, counter, next);
    const pending = board.snapshot();
    phase('install', { image: next, trial: true, floor: old.counter });
    phase('revert', { image: old, trial: false, floor: old.counter });
    board.restore(pending);
    board.powerOn();
    if ((await board.trial(o.keys, counter)) !== 'confirmed') throw new Error('the trial did not confirm');
    phase('after confirm', { image: next, trial: false, floor: next.counter });
    board.app()[5000] ^= 0x10;
    phase('repair', { image: next, trial: false, floor: next.counter });
    totals.paced_writes = board.pacedWrites;
  } finally {
    board.dispose();
  }
  return totals;
}
