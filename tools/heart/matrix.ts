// `npm run heart:matrix`: every scenario × every mode of the spec × seeds, 10 simulated minutes
// each, judged by the trace checker at 1 ms. Prints the runs, the events checked, the violations,
// the modes the engine does not accept, and the wall time. Exit 1 on any violation or refused mode.
import { availableParallelism } from 'node:os';
import { intArg, parseArgs, UsageError } from '../cli/args.js';
import type { FlagSpecs } from '../cli/args.js';
import { SPEC_MODES } from '../../host/heart/checker/spec.js';
import type { SpecMode } from '../../host/heart/checker/spec.js';
import { SCENARIO_NAMES } from '../../host/heart/closed-loop.js';
import { fullMatrix, runMatrix } from '../../host/heart/matrix.js';

const FLAGS: FlagSpecs = {
  seeds: { type: 'string', value: 'N', description: 'seeds per scenario and mode, 1..N (default 3)' },
  minutes: { type: 'string', value: 'M', description: 'simulated minutes per run (default 10)' },
  scenario: { type: 'list', value: 'NAME', description: 'only this scenario (repeatable)' },
  mode: { type: 'list', value: 'MODE', description: 'only this mode (repeatable)' },
  help: { type: 'boolean', short: 'h', description: 'print this help' },
};

function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => `  --${name}${f.value ? ` ${f.value}` : ''}`.padEnd(22) + f.description);
  return ['usage: npm run heart:matrix [-- options]', ...lines, `scenarios: ${SCENARIO_NAMES.join(', ')}`, `modes: ${SPEC_MODES.join(', ')}`].join('\n');
}

function pick<T extends string>(given: string[] | undefined, all: readonly T[], what: string): readonly T[] {
  if (!given) return all;
  for (const g of given) if (!(all as readonly string[]).includes(g)) throw new UsageError(`--${what} ${g}: not one of ${all.join(', ')}`);
  return given as T[];
}

function main(argv: string[]): number {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.help) {
    console.log(usage());
    return 0;
  }
  if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]} (seeds are --seeds N)`);
  const seeds = intArg('seeds', args.flags.seeds as string | undefined, 1, 1000, 3);
  const minutes = intArg('minutes', args.flags.minutes as string | undefined, 1, 24 * 60, 10);
  const scenarios = pick(args.flags.scenario as string[] | undefined, SCENARIO_NAMES, 'scenario');
  const modes = pick<SpecMode>(args.flags.mode as string[] | undefined, SPEC_MODES, 'mode');
  const started = performance.now();
  const f = runMatrix(fullMatrix(scenarios, modes, seeds), minutes);
  const seconds = (performance.now() - started) / 1000;
  for (const { cell, first } of f.failedRuns) console.log(`FAIL ${cell.scenario} ${cell.mode} seed ${cell.seed}: ${first}`);
  for (const [mode, reason] of f.notAccepted) console.log(`NOT ACCEPTED ${mode}: ${reason}`);
  const accepted = modes.length - f.notAccepted.size;
  console.log(`${f.runs} runs (${scenarios.length} scenarios x ${accepted} of ${modes.length} modes x ${seeds} seeds) of ${minutes} simulated minutes`);
  console.log(`${f.eventsChecked} events checked, ${f.violations} violations in ${f.failedRuns.length} runs`
    + (f.byProperty.size ? ` (runs failing each property: ${[...f.byProperty].map(([p, n]) => `${p} ${n}`).join(', ')})` : ''));
  console.log(`${f.notAccepted.size} modes not accepted by the engine${f.notAccepted.size ? `: ${[...f.notAccepted.keys()].join(', ')}` : ''}`);
  console.log(`${seconds.toFixed(1)} s wall time, ${((seconds * 1000) / Math.max(1, f.runs)).toFixed(0)} ms per run, one thread (${availableParallelism()} cores here)`);
  return f.failedRuns.length || f.notAccepted.size ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`heart:matrix: ${error.message}\n${usage()}`);
  process.exitCode = 2;
}
