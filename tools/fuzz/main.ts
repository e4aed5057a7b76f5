// `npm run fuzz -- <target> [--runs N] [--seed S]`: property-based fuzzing with fast-check.
// Targets: channel (CBOR, framing, command envelope, responder, transport). Exit code 1 on a
// counterexample, which fast-check prints with the seed and path to replay it.
import fc from 'fast-check';
import { channelFuzzProperties } from './channel-properties.js';
import type { FuzzProperty } from './channel-properties.js';

const TARGETS: Record<string, readonly FuzzProperty[]> = { channel: channelFuzzProperties };

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

function main(args: string[]): number {
  const target = args[0];
  const properties = target ? TARGETS[target] : undefined;
  if (!properties) {
    console.error(`usage: npm run fuzz -- <${Object.keys(TARGETS).join('|')}> [--runs N] [--seed S]`);
    return 2;
  }
  const runs = option(args, '--runs', 100_000);
  const seed = option(args, '--seed', Date.now() % 0x7fffffff);
  console.log(`fuzz ${target}: ${properties.length} properties x ${runs} cases, seed ${seed}`);
  let failed = 0;
  for (const p of properties) {
    const started = performance.now();
    const result = fc.check(p.property(), { numRuns: runs, seed });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.failed) {
      failed++;
      console.log(`  FAIL ${p.name} after ${result.numRuns} cases (${seconds} s)\n${fc.defaultReportMessage(result)}`);
    } else {
      console.log(`  ok   ${p.name}: ${result.numRuns} cases, ${seconds} s`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
