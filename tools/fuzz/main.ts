// `npm run fuzz -- <target|all> [--cases N | --runs N] [--seed S]`: structure-aware fuzzing with
// fast-check of every external parser and state machine (docs/fuzzing.md). `--cases N` spreads N
// cases over the chosen properties by their weight (cheap parsers get more than a firmware boot);
// `--runs N` gives each property N. A failure is shrunk by fast-check to a minimal counterexample
// and printed with the seed and path that replay it; failures with the same message count once.
// The npm script runs this under c8, which prints the branch coverage of the targeted modules.
import fc from 'fast-check';
import { FUZZ_TARGETS } from './targets.js';
import type { WeightedProperty } from './targets.js';

interface Options {
  readonly target: string;
  readonly cases?: number;
  readonly runs?: number;
  readonly seed: number;
}

function positive(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${name} needs a positive integer`);
  return value;
}

class UsageError extends Error {}

function parse(args: string[]): Options {
  const known = new Set(['--cases', '--runs', '--seed']);
  const [target, ...rest] = args;
  if (!target || !(target === 'all' || target in FUZZ_TARGETS)) throw new UsageError(`unknown target ${target ?? '(none)'}`);
  for (let i = 0; i < rest.length; i += 2) if (!known.has(rest[i])) throw new UsageError(`unknown option ${rest[i]}`);
  const cases = positive(rest, '--cases');
  const runs = positive(rest, '--runs');
  if (cases && runs) throw new UsageError('give --cases or --runs, not both');
  return { target, cases, runs, seed: positive(rest, '--seed') ?? (Date.now() % 0x7fffffff) };
}

/** Cases per property: `runs` each, or `cases` split by weight (at least one each). */
function plan(properties: readonly WeightedProperty[], o: Options): number[] {
  if (o.runs) return properties.map(() => o.runs!);
  const total = o.cases ?? 10_000 * properties.length;
  const weights = properties.reduce((sum, p) => sum + p.weight, 0);
  const shares = properties.map((p) => Math.max(1, Math.floor((total * p.weight) / weights)));
  shares[0] += Math.max(0, total - shares.reduce((a, b) => a + b, 0));
  return shares;
}

async function main(args: string[]): Promise<number> {
  let o: Options;
  try {
    o = parse(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\nusage: npm run fuzz -- <all|${Object.keys(FUZZ_TARGETS).join('|')}> [--cases N | --runs N] [--seed S]`);
    return 2;
  }
  const targets = o.target === 'all' ? Object.keys(FUZZ_TARGETS) : [o.target];
  const properties = targets.flatMap((t) => FUZZ_TARGETS[t].map((p) => ({ ...p, name: `${t}: ${p.name}` })));
  const counts = plan(properties, o);
  console.log(`fuzz ${o.target}: ${properties.length} properties, ${counts.reduce((a, b) => a + b, 0)} cases, seed ${o.seed}`);
  const failures = new Map<string, string>();
  let ran = 0;
  const started = performance.now();
  for (const [i, p] of properties.entries()) {
    const t0 = performance.now();
    const result = await fc.check(p.property(), { numRuns: counts[i], seed: o.seed });
    ran += result.numRuns;
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (!result.failed) {
      console.log(`  ok   ${p.name}: ${result.numRuns} cases, ${seconds} s`);
      continue;
    }
    const message = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    console.log(`  FAIL ${p.name} after ${result.numRuns} cases (${seconds} s): ${message}\n${fc.defaultReportMessage(result)}`);
    console.log(`       replay: npm run fuzz -- ${p.name.split(':')[0]} --runs ${counts[i]} --seed ${result.seed}  (path ${result.counterexamplePath})`);
    if (!failures.has(message)) failures.set(message, p.name);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`${ran} cases, ${failures.size} unique failures, ${seconds} s`);
  return failures.size === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
