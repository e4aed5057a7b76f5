// The never-brick campaign (MCUboot's simulator method, plus torn operations): an update is
// driven to its end while power is cut at every erase and program of staging, marking, trial
// boot, confirm and revert, each also torn, and then at random points, up to five times per
// seed. After every cut the device boots again and must run a validly signed image, old or
// new, never one below the security counter; and the programmer must still be able to finish
// (or, when the self-test fails, the device must be back on the old image with the update
// retryable). Used by tools/campaign/update.ts and, with fewer seeds, by the test suite.
import { createHash } from 'node:crypto';
import { UpdateError } from '../../modules/bootloader/errors.js';
import { compareVersions, type Version } from '../../modules/bootloader/manifest.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { RESTART_DELAY_MS, UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import { toHex } from '../../modules/core/bytes.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { Prng } from '../lib/prng.js';
import { PowerCut } from '../sim/nor-flash.js';
import { crypto, image, makePackage, manifestOf, updateKeys } from '../fixtures/update-fixture.js';
import { SimDevice, type Running, type SimLayout } from '../fixtures/sim-device.js';

/**
 * How the update ends (self-test passes, or fails and the device reverts) and where it starts:
 * a factory device (empty boot record, old image in bank 0) or one updated before (an older
 * image with a lower counter left in bank 0, the old one confirmed in bank 1): there, falling
 * back to the wrong bank would be a downgrade the campaign sees.
 */
export interface Scenario {
  readonly name: string;
  readonly selfTestPasses: boolean;
  readonly updatedBefore: boolean;
}
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  Object.freeze({ name: 'factory-update', selfTestPasses: true, updatedBefore: false }),
  Object.freeze({ name: 'factory-revert', selfTestPasses: false, updatedBefore: false }),
  Object.freeze({ name: 'second-update', selfTestPasses: true, updatedBefore: true }),
  Object.freeze({ name: 'second-revert', selfTestPasses: false, updatedBefore: true }),
]);

export interface CampaignTotals {
  cuts: number;
  torn: number;
  seeds: number;
  booted_valid: number;
  bricked: number;
  downgraded: number;
  stuck: number;
}

export function emptyTotals(): CampaignTotals {
  return { cuts: 0, torn: 0, seeds: 0, booted_valid: 0, bricked: 0, downgraded: 0, stuck: 0 };
}

const ANCIENT = Object.freeze({ version: [0, 9, 0] as Version, counter: 2, seed: 7 });
const OLD = Object.freeze({ version: [1, 0, 0] as Version, counter: 3, seed: 11 });
const NEW = Object.freeze({ version: [1, 1, 0] as Version, counter: 4, seed: 22 });
/** Steps (boots and programmer attempts) after which an unfinished update counts as stuck. */
const MAX_STEPS = 40;
/** BLE-sized chunks, so blocks fill from many writes as on the air. */
const CHUNK = 244;

interface Packages {
  readonly ancientPkg: Uint8Array;
  readonly oldPkg: Uint8Array;
  readonly newManifest: Uint8Array;
  readonly newImage: Uint8Array;
}

/** Packages sized to the layout: the old image fills three blocks and a half, the new one four less a bit. */
export function packagesFor(layout: SimLayout): Packages {
  const block = layout.geometry.eraseSize;
  const oldPkg = makePackage({ version: OLD.version, counter: OLD.counter, image: image(OLD.seed, 3 * block + block / 2) });
  const newPkg = makePackage({ version: NEW.version, counter: NEW.counter, image: image(NEW.seed, (layout.bankBlocks - 1) * block - 100) });
  const ancientPkg = makePackage({ version: ANCIENT.version, counter: ANCIENT.counter, image: image(ANCIENT.seed, 2 * block + 5) });
  return { ancientPkg, oldPkg, newManifest: manifestOf(newPkg), newImage: splitPackage(newPkg).image };
}

/**
 * Ed25519 verification is a pure function of its inputs, and the campaign verifies the same
 * few manifests a million times; it remembers each result by the exact bytes verified. Bytes a
 * cut damaged are different inputs and are verified afresh.
 */
function rememberVerifications(base: CryptoProvider): CryptoProvider {
  const results = new Map<string, boolean>();
  const verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
    const key = `${toHex(signature)}:${toHex(publicKey)}:${toHex(message)}`;
    let ok = results.get(key);
    if (ok === undefined) results.set(key, (ok = base.ed25519.verify(signature, message, publicKey)));
    return ok;
  };
  return Object.freeze({ ...base, ed25519: Object.freeze({ ...base.ed25519, verify }) });
}
/** SHA-256 from Node's native code, as the device hashes with Moddable's native `crypt`. */
function nativeDigests(base: CryptoProvider): CryptoProvider {
  return Object.freeze({
    ...base,
    sha256: (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest()),
    sha256Stream() {
      const h = createHash('sha256');
      return { update: (data: Uint8Array) => void h.update(data), digest: () => new Uint8Array(h.digest()) };
    },
  });
}
const campaignCrypto = rememberVerifications(nativeDigests(crypto));

/** One device driven through one scenario, with the cut plan supplied by `armCut`. */
class Run {
  readonly dev: SimDevice;
  private running: Running | undefined;
  private uncheckedCuts = 0;
  private trialSeen = false;
  private highestCounter = 0;
  private newConfirmed = false;
  cuts = 0;
  torn = 0;
  downgrades = 0;

  constructor(
    layout: SimLayout,
    private readonly pkgs: Packages,
    private readonly scenario: Scenario,
    readonly totals: CampaignTotals,
    private readonly armCut: (run: Run) => void,
  ) {
    this.dev = new SimDevice({
      layout,
      crypto: campaignCrypto,
      keys: updateKeys(),
      selfTest: () => Promise.resolve({ passed: scenario.selfTestPasses }),
    });
    if (scenario.updatedBefore) this.dev.installUpdated(pkgs.ancientPkg, pkgs.oldPkg, OLD.counter);
    else this.dev.install(pkgs.oldPkg);
  }

  /** Drives the scenario to its end, or says why it could not. */
  async drive(): Promise<'done' | 'stuck' | 'bricked'> {
    for (let step = 0; step < MAX_STEPS; step++) {
      try {
        if (!this.running) {
          this.boot();
          if (!this.running) return 'bricked'; // counted in boot()
        }
        const r: Running = this.running;
        if (r.choice.trial) this.trialSeen = true;
        if ((await r.supervisor.start()) === 'reverted' || this.dev.restartRequested) {
          this.running = undefined;
          continue;
        }
        if (this.finished(r)) return this.retryable(r) ? 'done' : 'stuck';
        const begun = r.service.begin(UPDATE_ROLE, this.pkgs.newManifest);
        const img = this.pkgs.newImage;
        for (let at = begun.offset; at < img.length && !begun.complete; at += CHUNK) {
          r.service.chunk(UPDATE_ROLE, at, img.subarray(at, Math.min(at + CHUNK, img.length)));
        }
        r.service.activate(UPDATE_ROLE);
        this.dev.clock.advance(RESTART_DELAY_MS);
        if (this.dev.restartRequested) this.running = undefined;
      } catch (error) {
        if (error instanceof UpdateError) return 'stuck'; // the device refused the genuine update
        if (!(error instanceof PowerCut)) throw error;
        this.cuts++;
        if (error.torn) this.torn++;
        this.uncheckedCuts++;
        this.running = undefined;
      }
    }
    return 'stuck';
  }

  private boot(): void {
    const running = this.dev.powerOn(() => this.armCut(this));
    const { choice, counter } = running;
    const verdictFor = this.uncheckedCuts;
    this.uncheckedCuts = 0;
    if (choice.slot === undefined) {
      this.totals.bricked += Math.max(verdictFor, 1);
      this.running = undefined;
      return;
    }
    const m = choice.manifest!.manifest;
    const stored = counter.read();
    const isNew = compareVersions(m.version, NEW.version) === 0;
    const downgrade = m.securityCounter < stored // the bootloader let a rolled-back image run
      || stored < this.highestCounter // the counter went backwards
      || (this.newConfirmed && !isNew) // the old image came back after the new one was confirmed
      || compareVersions(m.version, OLD.version) < 0;
    this.highestCounter = Math.max(this.highestCounter, stored);
    if (isNew && !choice.trial) this.newConfirmed = true;
    if (downgrade) {
      this.totals.downgraded += Math.max(verdictFor, 1);
      this.downgrades++;
    }
    else this.totals.booted_valid += verdictFor;
    this.running = running;
  }

  private finished(r: Running): boolean {
    const running = r.choice.manifest!.manifest.version;
    if (r.service.status().state === 'trial') return false;
    if (this.scenario.selfTestPasses) return compareVersions(running, NEW.version) === 0;
    return this.trialSeen && compareVersions(running, OLD.version) === 0;
  }

  /** After a revert the device must accept the same update again (it is staged, so begin says complete). */
  private retryable(r: Running): boolean {
    if (this.scenario.selfTestPasses) return r.counter.read() === NEW.counter;
    if (r.counter.read() !== OLD.counter) return false;
    return r.service.begin(UPDATE_ROLE, this.pkgs.newManifest).offset >= 0;
  }
}

export interface CampaignOptions {
  readonly layouts: readonly SimLayout[];
  /** Random seeds, each run on every layout with up to five cuts. */
  readonly seeds: number;
  /** First seed (so a failing seed can be replayed alone). */
  readonly firstSeed?: number;
  /** Told where each failing run was (layout, scenario and cut, or seed), to replay it. */
  readonly onFailure?: (where: string) => void;
  /** Called after each layout and scenario's exhaustive pass, for coverage reports. */
  readonly onCoverage?: (layout: string, scenario: string, flashOps: number) => void;
}

/**
 * Arms `count` cuts, each `distance()` operations after the previous cut (or the start). A
 * power-on disarms the chip, so every boot re-arms the cut still due: restarts do not skip it.
 */
function cutPlan(distance: () => number, count: number, torn: () => boolean, seed: () => number): (run: Run) => void {
  let target: number | undefined;
  let cutsSeen = 0;
  return (run) => {
    const chip = run.dev.chip;
    if (run.cuts !== cutsSeen) (cutsSeen = run.cuts), (target = undefined);
    if (cutsSeen >= count) return;
    target ??= chip.ops + distance();
    chip.armPowerCut({ at: target, torn: torn(), seed: seed() });
  };
}

/** Flash operations of an uninterrupted run, from the first byte staged to the end. */
async function countOps(layout: SimLayout, pkgs: Packages, scenario: Scenario): Promise<number> {
  const totals = emptyTotals();
  const run = new Run(layout, pkgs, scenario, totals, () => {});
  const start = run.dev.chip.ops;
  if ((await run.drive()) !== 'done') throw new Error(`${layout.name}/${scenario.name}: the uninterrupted update does not finish`);
  return run.dev.chip.ops - start;
}

async function finish(run: Run, totals: CampaignTotals, where: string, report?: (failure: string) => void): Promise<void> {
  const outcome = await run.drive();
  totals.cuts += run.cuts;
  totals.torn += run.torn;
  if (outcome === 'stuck') totals.stuck++;
  if (outcome !== 'done' || run.downgrades > 0) report?.(`${where}: ${outcome}${run.downgrades ? `, ${run.downgrades} downgraded boots` : ''}`);
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignTotals> {
  const totals = emptyTotals();
  for (const layout of options.layouts) {
    const pkgs = packagesFor(layout);
    const spans: number[] = [];
    for (const scenario of SCENARIOS) {
      const ops = await countOps(layout, pkgs, scenario);
      spans.push(ops);
      for (let at = 1; at <= ops; at++) {
        for (const torn of [false, true]) {
          const run = new Run(layout, pkgs, scenario, totals, cutPlan(() => at, 1, () => torn, () => at));
          await finish(run, totals, `${layout.name}/${scenario.name} cut ${at}${torn ? ' torn' : ''}`, options.onFailure);
          if (run.cuts !== 1) throw new Error(`${layout.name}/${scenario.name}: cut ${at} did not happen`);
        }
      }
      options.onCoverage?.(layout.name, scenario.name, ops);
    }
    const first = options.firstSeed ?? 1;
    for (let seed = first; seed < first + options.seeds; seed++) {
      const rng = new Prng(seed);
      const scenarioIndex = rng.int(0, SCENARIOS.length - 1);
      const span = spans[scenarioIndex];
      const plan = cutPlan(() => rng.int(1, span), rng.int(1, 5), () => rng.int(0, 1) === 1, () => rng.nextU32());
      const run = new Run(layout, pkgs, SCENARIOS[scenarioIndex], totals, plan);
      await finish(run, totals, `${layout.name}/${SCENARIOS[scenarioIndex].name} seed ${seed}`, options.onFailure);
    }
  }
  totals.seeds = options.seeds;
  return totals;
}
