// The nRF52 boot stage (platforms/nrf52/boot-stage) against what the TypeScript side writes:
// packages from `implant sign`, staged by the firmware's UpdateService into the QSPI layout, the
// boot record read back with boot-record.ts. The C core runs in its host build over NOR files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  APP_OFFSET, buildStageSim, implantSign, runBootStageCampaign, SIM_QSPI, StageBoard, stagePackages, type StagePackages,
} from '../../host/campaign/boot-stage-campaign.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { ROOT, STRANGER, updateKeys } from '../../host/fixtures/update-fixture.js';

/** boot-record.ts BootNote 'candidate-invalid' and 'trial-reset' as the stage reports them. */
const NOTE_CANDIDATE_INVALID = 5;
const NOTE_TRIAL_RESET = 4;

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

  it('after a power cut at every erase and program of copy, install, revert, floor raise and repair (plain and torn) it runs the old or the new image, whole and verified', async () => {
    const phases: string[] = [];
    const totals = await runBootStageCampaign({ key: ROOT, keys, packages, tornSeeds: 2, onCoverage: (p, n) => phases.push(`${p}:${n}`) });
    assert.deepEqual(phases.map((p) => p.split(':')[0]), ['factory copy', 'install', 'revert', 'after confirm', 'repair']);
    const ops = phases.reduce((n, p) => n + Number(p.split(':')[1]), 0);
    assert.ok(ops >= 50, `${ops} cut points`);
    assert.equal(totals.cuts, 3 * ops);
    assert.deepEqual(totals, { cuts: totals.cuts, torn: 2 * ops, booted_valid: totals.cuts, bricked: 0, mixed: 0, downgraded: 0, unexpected: 0 });
  });

  /** A board running `next` confirmed (floor 4), slot 0 free for a candidate. */
  async function updatedBoard(): Promise<StageBoard> {
    const board = new StageBoard([ROOT.publicKey]);
    const counter = { value: 0 };
    board.factoryStage(packages.old, 0, keys);
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
      board.factoryStage(packages.old, 0, keys);
      assert.equal(board.powerOn().started, true);
      fn(board);
    } finally {
      board.dispose();
    }
  }

  it('reverts a trial that resets before it confirms, and says so in the boot record', () => onFactoryBoard((board) => {
    board.sendUpdate(keys, { value: 0 }, packages.next);
    assert.equal(board.powerOn().version, '1.1.0');
    const run = board.powerOn();
    assert.deepEqual([run.version, run.trial, run.copied, run.note], ['1.0.0', false, true, NOTE_TRIAL_RESET]);
    assert.equal(board.bootRecord().note, 'trial-reset');
  }));

  it('starts nothing when neither the internal copy nor the slot verifies', () => onFactoryBoard((board) => {
    board.internal[APP_OFFSET + 100] ^= 1;
    board.qspi.cells[SIM_QSPI.slotOffsets[0] + 100] ^= 1;
    const run = board.powerOn();
    assert.deepEqual([run.started, run.slot], [false, -1]);
  }));
});
