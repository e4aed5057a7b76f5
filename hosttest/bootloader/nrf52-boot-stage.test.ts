// The nRF52 boot stage (platforms/nrf52/boot-stage) against what the TypeScript side writes:
// packages from `implant sign`, staged by the firmware's UpdateService into the QSPI layout, the
// boot record read back with boot-record.ts. The C core runs in its host build over NOR files.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { intelHex, QSPI_HEX_BASE, stagedSlot } from '../../tools/flash/qspi-image.js';
import { NRF52_QSPI_LAYOUT } from '../../modules/bootloader/qspi-layout.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { Prng } from '../../host/lib/prng.js';
import {
  buildStageSim, DK_GEOMETRY, implantSign, runBootStageCampaign, SIM_QSPI, StageBoard, stagePackages, type StagePackages,
} from '../../host/campaign/boot-stage-campaign.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { bankLayout } from '../../modules/bootloader/layout.js';
import { verifiedBank } from '../../modules/bootloader/bank-image.js';
import { BootRecordStore } from '../../modules/bootloader/boot-record.js';
import { selectBoot } from '../../modules/bootloader/boot-select.js';
import { qspiUpdateAreas } from '../../modules/bootloader/qspi-layout.js';
import { NorFlash } from '../../host/sim/nor-flash.js';
import { crypto, ROOT, STRANGER, updateKeys } from '../../host/fixtures/update-fixture.js';
import { PIN_MAPS } from '../../modules/therapy/pin-maps.js';
import { BACKUP_INTERVAL_MS, BACKUP_VRP_MS } from '../../modules/therapy-control/backup-pacer.js';
import { PULSE_MS } from '../../modules/therapy/device-io.js';

/** boot-record.ts BootNote 'candidate-invalid' and 'trial-reset' as the stage reports them. */
const NOTE_CANDIDATE_INVALID = 5;
const NOTE_TRIAL_RESET = 4;
/** stage.h NOTE_INTERNAL_ONLY: no slot usable, the internal copy runs on its kept manifest. */
const NOTE_INTERNAL_ONLY = 101;

describe('nRF52 boot stage (C core, host build)', function () {
  this.timeout(60_000);
  const keys = updateKeys();
  let dir: string;
  let packages: StagePackages;

  before(async () => {
    buildStageSim();
    dir = mkdtempSync(join(tmpdir(), 'boot-stage-sign-'));
    packages = await stagePackages(dir, ROOT);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('after a power cut at every erase and program of copy, install, revert, floor raise and repair (plain and torn) it runs the old or the new image, whole and verified, and paces at every internal write', async () => {
    const phases: string[] = [];
    const totals = await runBootStageCampaign({ key: ROOT, keys, packages, tornSeeds: 2, onCoverage: (p, n) => phases.push(`${p}:${n}`) });
    assert.deepEqual(phases.map((p) => p.split(':')[0]), ['factory copy', 'install', 'revert', 'after confirm', 'repair']);
    const ops = phases.reduce((n, p) => n + Number(p.split(':')[1]), 0);
    assert.ok(ops >= 50, `${ops} cut points`);
    const runs = 3 * ops;
    assert.ok(totals.second > runs / 8, `${totals.second} second cuts`);
    assert.deepEqual(totals, { cuts: runs + totals.second, torn: totals.torn, second: totals.second, booted_valid: runs, bricked: 0, mixed: 0, downgraded: 0, unexpected: 0, paced_writes: totals.paced_writes });
    assert.ok(totals.torn >= 2 * ops);
    // Every cut boot writes, and so does its recovery: the pacing check (StageBoard.powerOn) saw them all.
    assert.ok(totals.paced_writes > 2 * runs, `${totals.paced_writes} paced internal writes`);
  });

  /** A board running `next` confirmed (floor 4), slot 0 free for a candidate. */
  async function updatedBoard(): Promise<StageBoard> {
    const board = new StageBoard([ROOT.publicKey]);
    const counter = { value: 0 };
    board.factoryStage(packages.old, 0);
    board.powerOn();
    board.sendUpdate(keys, counter, packages.next);
    assert.equal(board.powerOn().trial, true);
    assert.equal(await board.trial(keys, counter), 'confirmed');
    assert.equal(board.events.some((e) => e.reason === 'not-activated'), false);
    assert.equal(board.powerOn().floor, 4);
    return board;
  }

  /** Plants `signed` in slot 0 (the stager writes it; no admission), damaged by `damage`, and activates it. */
  function plant(board: StageBoard, pkg: Uint8Array, damage?: (qspi: Uint8Array, manifestLength: number) => void): void {
    board.plant(pkg, 0);
    damage?.(board.qspi.cells, splitPackage(pkg).manifestBytes.length);
  }

  const refusals: Array<[string, (board: StageBoard) => Promise<void>]> = [
    ['rolled back (validly signed, counter 2 < floor 4)', async (board) => plant(board, (await implantSign(dir, ROOT, packages.old.image, '1.2.0', 2)).pkg)],
    ['signed by an untrusted key', async (board) => plant(board, (await implantSign(dir, STRANGER, packages.old.image, '1.2.0', 5)).pkg)],
    ['tampered image byte in the slot', async (board) => plant(board, (await implantSign(dir, ROOT, packages.old.image, '1.2.0', 5)).pkg, (q) => void (q[SIM_QSPI.slotOffsets[0] + 9000] ^= 1))],
    ['tampered signature in the trailer', async (board) => plant(board, (await implantSign(dir, ROOT, packages.old.image, '1.2.0', 5)).pkg, (q, length) => {
      const trailer = SIM_QSPI.slotOffsets[0] + SIM_QSPI.slotSize - 4096;
      q[trailer + 16 + length - 10] ^= 0x80; // inside the 64-byte signature, the manifest's last item
    })],
  ];
  for (const [name, attack] of refusals) {
    it(`never installs a staged image ${name}: the running image and the internal flash stay as they were`, async () => {
      const board = await updatedBoard();
      try {
        await attack(board);
        const before = board.internal.slice();
        const run = board.powerOn();
        assert.deepEqual([run.started, run.slot, run.trial, run.copied, run.note, run.version], [true, 1, false, false, NOTE_CANDIDATE_INVALID, '1.1.0']);
        assert.deepEqual(board.internal, before);
        assert.deepEqual(board.bootRecord(), { ...board.bootRecord(), state: 'confirmed', confirmed: 1, note: 'candidate-invalid' });
      } finally {
        board.dispose();
      }
    });
  }

  /** A factory board (the old image staged in slot 0) for `fn`, disposed after it. */
  function onFactoryBoard(fn: (board: StageBoard) => void): void {
    const board = new StageBoard([ROOT.publicKey]);
    try {
      board.factoryStage(packages.old, 0);
      assert.equal(board.powerOn().started, true);
      fn(board);
    } finally {
      board.dispose();
    }
  }

  it('refuses a staged candidate with any byte of its trailer header, manifest, marks or image changed (fast-check; the C runs under ASan and UBSan)', async () => {
    const board = await updatedBoard();
    try {
      const candidate = await implantSign(dir, ROOT, packages.old.image, '1.2.0', 5);
      board.plant(candidate.pkg, 0);
      const manifestLength = splitPackage(candidate.pkg).manifestBytes.length;
      const slot = SIM_QSPI.slotOffsets[0], trailer = slot + SIM_QSPI.slotSize - 4096;
      const completeMark = trailer + 528 + 4;
      // Everything the stage reads; the header's reserved bytes 5-7 and 12-15 are read by no one.
      const places = [
        ...[0, 1, 2, 3, 4, 8, 9, 10, 11].map((i) => trailer + i),
        ...Array.from({ length: manifestLength }, (_, i) => trailer + 16 + i),
        completeMark, completeMark + 3,
        ...Array.from({ length: candidate.image.length }, (_, i) => slot + i),
      ];
      const planted = board.snapshot();
      const internal = board.internal.slice();
      fc.assert(fc.property(fc.constantFrom(...places), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        board.restore(planted);
        board.qspi.cells[at] ^= flip;
        const run = board.powerOn();
        assert.deepEqual([run.started, run.version, run.copied, run.note], [true, '1.1.0', false, NOTE_CANDIDATE_INVALID], `byte ${at - slot} of slot 0`);
        assert.deepEqual(board.internal, internal);
      }), { numRuns: 40 });
      board.restore(planted);
      assert.equal(board.powerOn().version, '1.2.0', 'unchanged, the same candidate installs');
    } finally {
      board.dispose();
    }
  });

  it('a QSPI chip that does not answer does not stop therapy: the internal copy runs on the manifest kept beside it, and only if it matches', async () => {
    const board = await updatedBoard();
    try {
      const alone = board.powerOn(undefined, true);
      assert.deepEqual([alone.started, alone.slot, alone.note, alone.version, alone.ops, alone.trace], [true, 2, NOTE_INTERNAL_ONLY, '1.1.0', 0, 'Pp'], 'no write; paced through the checks, handed over to the image');
      const kept = board.geometry.installedOffset;
      board.internal[kept + 12 + 40] ^= 1; // inside the kept manifest
      assert.equal(board.powerOn(undefined, true).started, false, 'a damaged kept manifest starts nothing');
      assert.equal(board.powerOn().ops, 2, 'a boot with the chip back rewrites it');
      board.app()[7] ^= 1;
      assert.equal(board.powerOn(undefined, true).started, false, 'an internal copy that no longer matches starts nothing');
    } finally {
      board.dispose();
    }
  });

  it('decides as boot-select.ts does for any boot record and slot contents (fast-check, the TypeScript decision as the oracle)', async () => {
    const other = await implantSign(dir, ROOT, packages.next.image, '1.0.1', 3);
    const stranger = await implantSign(dir, STRANGER, packages.old.image, '1.0.2', 3);
    const contents = { empty: undefined, old: packages.old, same: other, stranger } as const;
    const board = new StageBoard([ROOT.publicKey]);
    try {
      const blank = board.snapshot();
      fc.assert(fc.property(
        fc.constantFrom(...(Object.keys(contents) as (keyof typeof contents)[])), fc.constantFrom(...(Object.keys(contents) as (keyof typeof contents)[])),
        fc.option(fc.record({ state: fc.constantFrom('confirmed', 'pending', 'trying' as const), confirmed: fc.constantFrom(0, 1), trial: fc.constantFrom(0, 1) }), { nil: undefined }),
        (slot0, slot1, record) => {
          board.restore(blank);
          [slot0, slot1].forEach((name, slot) => {
            const pkg = contents[name];
            if (pkg) board.plant(pkg.pkg, slot as 0 | 1, false);
          });
          const records = new BootRecordStore(board.areas.bootRecord);
          for (let block = 0; block < 2; block++) board.areas.bootRecord.eraseBlock(block);
          if (record) records.write({ ...record, confirmed: record.confirmed as 0 | 1, trial: record.trial as 0 | 1, note: 'activated' });
          // The oracle decides on a copy of the chip; every image has counter 3, so the floor plays no part.
          const copy = new NorFlash({ size: board.qspi.size, eraseSize: 4096, writeSize: 4 });
          copy.cells.set(board.qspi.cells);
          const areas = qspiUpdateAreas(copy, SIM_QSPI);
          const oracle = selectBoot(new BootRecordStore(areas.bootRecord), (slot) => verifiedBank(areas.banks[slot], bankLayout(areas.banks[slot]), crypto, keys), 0);
          const run = board.powerOn();
          const label = `${slot0}/${slot1} ${JSON.stringify(record)}`;
          assert.deepEqual([run.started ? run.slot : undefined, run.started ? run.trial : false], [oracle.slot, oracle.trial], label);
          assert.deepEqual(board.bootRecord().state, new BootRecordStore(areas.bootRecord).read().state, `${label}: the record`);
        },
      ), { numRuns: 80 });
    } finally {
      board.dispose();
    }
  });

  it('reverts a trial that resets before it confirms, and says so in the boot record', () => onFactoryBoard((board) => {
    board.sendUpdate(keys, { value: 0 }, packages.next);
    assert.equal(board.powerOn().version, '1.1.0');
    const run = board.powerOn();
    assert.deepEqual([run.version, run.trial, run.copied, run.note], ['1.0.0', false, true, NOTE_TRIAL_RESET]);
    assert.equal(board.bootRecord().note, 'trial-reset');
  }));

  it('starts nothing when neither the internal copy nor the slot verifies, and keeps the backup pacer running while it waits', () => onFactoryBoard((board) => {
    board.app()[100] ^= 1;
    board.qspi.cells[SIM_QSPI.slotOffsets[0] + 100] ^= 1;
    const run = board.powerOn();
    assert.deepEqual([run.started, run.slot, run.trace], [false, -1, 'P']);
  }));

  /** Intel HEX records read back, independently of the writer: address → bytes. */
  function parseHex(text: string, into: Uint8Array, base: number): void {
    let upper = 0;
    for (const line of text.trim().split('\n')) {
      const b = Uint8Array.from(line.slice(1).match(/../g)!.map((h) => parseInt(h, 16)));
      assert.equal(b.reduce((a, x) => a + x, 0) & 0xff, 0, `checksum of ${line}`);
      const [n, hi, lo, type] = b;
      if (type === 4) upper = (b[4] << 8) | b[5];
      if (type === 0) into.set(b.subarray(4, 4 + n), upper * 0x10000 + (hi << 8) + lo - base);
    }
  }

  it('at full size on the DK layout: a factory QSPI hex from qspi-image.ts boots into blank internal flash, then an update installs and confirms', async () => {
    const board = new StageBoard([ROOT.publicKey], DK_GEOMETRY);
    try {
      const factory = await implantSign(dir, ROOT, new Prng(5).bytes(600_001), '1.0.0', 3);
      parseHex(intelHex(stagedSlot(factory.pkg, ROOT.publicKey), QSPI_HEX_BASE + NRF52_QSPI_LAYOUT.slotOffsets[0]), board.qspi.cells, QSPI_HEX_BASE);
      const first = board.powerOn();
      assert.deepEqual([first.started, first.version, first.copied, first.trial], [true, '1.0.0', true, false]);
      // Pacing from before the first erase to after the last write: each of the image's 147 sectors
      // erased and programmed, the two tail sectors erased, the installed-manifest page rewritten.
      assert.equal(first.trace, `P${'EW'.repeat(Math.ceil(600_001 / 4096))}EEEWp`);
      assert.deepEqual(board.app().subarray(0, factory.image.length), factory.image);
      const next = await implantSign(dir, ROOT, new Prng(6).bytes(655_360), '1.1.0', 4);
      const counter = { value: 0 };
      board.sendUpdate(keys, counter, next);
      const trial = board.powerOn();
      assert.deepEqual([trial.version, trial.trial, trial.copied], ['1.1.0', true, true]);
      assert.deepEqual(board.app().subarray(0, next.image.length), next.image);
      assert.equal(await board.trial(keys, counter), 'confirmed');
      assert.deepEqual([board.powerOn().floor, counter.value], [4, 4]);
      assert.ok(board.outsideAppUntouched(), 'the MBR, SoftDevice and storage partition were never written');
    } finally {
      board.dispose();
    }
  });

  it('the board build (nrf52/config.h) has the layout and identity the firmware writes', () => {
    const config = readFileSync('platforms/nrf52/boot-stage/nrf52/config.h', 'utf8');
    const define = (name: string): number => Number(/#define (\w+) (0x[0-9A-F]+)u/g.exec(config.slice(config.indexOf(`#define ${name} `)))![2]);
    assert.deepEqual(
      [define('QSPI_RECORD_OFFSET'), define('QSPI_FLOOR_OFFSET'), define('QSPI_SLOT0_OFFSET'), define('QSPI_SLOT_SIZE'), define('QSPI_BYTES'), define('APP_START'), define('APP_LIMIT'), define('INSTALLED_OFFSET')],
      [NRF52_QSPI_LAYOUT.recordOffset, DK_GEOMETRY.qspi.floorOffset, NRF52_QSPI_LAYOUT.slotOffsets[0], NRF52_QSPI_LAYOUT.slotSize, DK_GEOMETRY.qspiBytes, DK_GEOMETRY.appOffset, DK_GEOMETRY.appLimit, DK_GEOMETRY.installedOffset],
    );
    assert.equal(NRF52_QSPI_LAYOUT.slotOffsets[1], NRF52_QSPI_LAYOUT.slotOffsets[0] + NRF52_QSPI_LAYOUT.slotSize);
    assert.equal(NRF52_QSPI_LAYOUT.slotSize, DK_GEOMETRY.appLimit - DK_GEOMETRY.appOffset + 4096, 'a slot holds the largest application plus its trailer');
    const uuid = (name: string) => Uint8Array.from(new RegExp(`#define ${name} +\\{([^}]*)\\}`).exec(config)![1].split(',').map((x) => Number(x.trim())));
    assert.deepEqual(uuid('VENDOR_UUID'), uuidBytes(IMPLANT_VENDOR_UUID));
    assert.deepEqual(uuid('CLASS_UUID'), uuidBytes(BOARD_CLASS_UUIDS.nrf52));
  });

  it('the board\'s backup pacer (nrf52/config.h) paces the firmware\'s V pin at the firmware\'s backup rate, VRP and pulse', () => {
    const config = readFileSync('platforms/nrf52/boot-stage/nrf52/config.h', 'utf8');
    const decimal = (name: string): number => Number(new RegExp(`#define ${name} (\\d+)u?\\b`).exec(config)![1]);
    const dk = PIN_MAPS['nrf52840-dk'];
    assert.deepEqual(
      [decimal('PACE_V_PIN'), decimal('SENSE_V_PIN'), decimal('BACKUP_INTERVAL_US'), decimal('BACKUP_VRP_US'), decimal('PACE_PULSE_US')],
      [dk.paceV, dk.senseV, BACKUP_INTERVAL_MS * 1000, BACKUP_VRP_MS * 1000, PULSE_MS * 1000],
    );
    assert.equal(dk.paceActiveLow, true, 'backup_pacing.c turns the pin on with GPIOTE CLR');
  });
});
