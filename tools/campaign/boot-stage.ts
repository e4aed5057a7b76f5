// `npm run campaign:boot-stage -- [--torn N]`: the nRF52 boot stage's power-cut campaign
// (host/campaign/boot-stage-campaign.ts) with N torn variants per cut point (default 8). Builds
// the stage's host runner, signs the images with `implant sign`, prints the phases and the JSON
// totals; exits 1 unless every run booted the expected image, whole and verified, and throws at
// the first power-on that erased or programmed the internal flash with the backup pacer off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStageSim, runBootStageCampaign, stagePackages } from '../../host/campaign/boot-stage-campaign.js';
import { ROOT, updateKeys } from '../../host/fixtures/update-fixture.js';
import { intArg, parseArgs } from '../cli/args.js';

const FLAGS = { torn: { type: 'string', value: 'N', description: 'torn variants per cut point (default 8)' } } as const;

async function main(argv: string[]): Promise<number> {
  const tornSeeds = intArg('torn', parseArgs(argv, FLAGS).flags.torn as string | undefined, 0, 1000, 8);
  buildStageSim();
  const dir = mkdtempSync(join(tmpdir(), 'boot-stage-campaign-'));
  const started = Date.now();
  try {
    const totals = await runBootStageCampaign({
      key: ROOT, keys: updateKeys(), packages: await stagePackages(dir, ROOT), tornSeeds,
      onCoverage: (phase, ops) => process.stderr.write(`${phase}: cut at each of ${ops} flash operations, plain and ${tornSeeds}× torn\n`),
    });
    process.stdout.write(`${JSON.stringify(totals)}\n`);
    process.stderr.write(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return totals.bricked + totals.mixed + totals.downgraded + totals.unexpected === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv.slice(2));
