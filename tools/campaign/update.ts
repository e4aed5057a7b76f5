// `npm run campaign:update -- --seeds N`: the never-brick campaign for signed dual-bank updates
// (host/campaign/update-campaign.ts). Cuts power at every flash operation of staging, marking,
// trial boot, confirm and revert, plain and torn, on the ESP32 and nRF52 layouts, then N random
// seeds with up to five cuts each. Prints the JSON summary on stdout; coverage, failures and the
// wall time on stderr. Exits 1 unless every cut booted a valid image and nothing bricked,
// downgraded or got stuck.
import { intArg, parseArgs, UsageError } from '../cli/args.js';
import { runCampaign } from '../../host/campaign/update-campaign.js';
import { SIM_LAYOUTS } from '../../host/fixtures/sim-device.js';

const FLAGS = {
  seeds: { type: 'string', value: 'N', description: 'random seeds, each run on every layout (default 100)' },
  'first-seed': { type: 'string', value: 'S', description: 'first seed, to replay a failure (default 1)' },
  layout: { type: 'string', value: 'NAME', description: 'only this layout: esp32 or nrf52' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, FLAGS);
  const seeds = intArg('seeds', flags.seeds as string | undefined, 0, 10_000_000, 100);
  const firstSeed = intArg('first-seed', flags['first-seed'] as string | undefined, 1, 0xffffffff, 1);
  const layouts = flags.layout === undefined ? SIM_LAYOUTS : SIM_LAYOUTS.filter((l) => l.name === flags.layout);
  if (layouts.length === 0) throw new UsageError(`unknown layout "${String(flags.layout)}"`);
  const started = Date.now();
  const failures: string[] = [];
  const totals = await runCampaign({
    layouts,
    seeds,
    firstSeed,
    onFailure: (where) => failures.push(where),
    onCoverage: (layout, scenario, ops) => process.stderr.write(`${layout} ${scenario}: cut at each of ${ops} flash operations, plain and torn\n`),
  });
  process.stdout.write(`${JSON.stringify(totals)}\n`);
  for (const where of failures.slice(0, 20)) process.stderr.write(`failed: ${where}\n`);
  process.stderr.write(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const clean = totals.bricked === 0 && totals.downgraded === 0 && totals.stuck === 0 && totals.booted_valid === totals.cuts;
  return clean ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`campaign:update: ${error.message}\n`);
  process.exitCode = 2;
}
