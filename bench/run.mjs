#!/usr/bin/env node
// `npm run bench`: runs every case of bench/cases/*.ts in the XS engine (xsnap-worker, one fresh
// engine per case) and on Node, and writes bench/results.json:
//   [{ name, computrons, xs_heap_slots, xs_ns_per_op, node_ns_per_op }]
// computrons: XS meter per warm operation, minus the harness's own loop (deterministic).
// xs_heap_slots: live slots after setup and the first call, following a full collection,
//   relative to the freshly loaded bundle (so tables built on first use count).
// *_ns_per_op: best of 3 timed loops; wall time, so it varies from run to run.
// The pure-JS curve rows depend on noble's base-point window; the default is 1 (no tables), the
// smallest-memory setting. The device itself runs native curves: its figures are the device_js
// rows (bench/cases/device-js.ts, docs/crypto.md).
// Usage: node bench/run.mjs [--window N] [case-or-file ...]
//   (a filter, or a window other than 1, prints results without writing the file)
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { bundleEntryForXS } from '../host/xs/bundle.mjs';
import { requireWorker, startWorker } from '../host/xs/xsnap.mjs';

const XS_LOOP_COMPUTRONS = 3e7; // ~0.1 s per timed loop on a desktop core
const NODE_LOOP_MS = 100;
const REPEATS = 3;
/** noble's base-point window for the pure-JS rows (no tables; docs/memory.md). */
export const DEVICE_WINDOW = 1;

function caseFiles() {
  return readdirSync(new URL('./cases/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'types.ts').sort();
}

/** One bundle per case file (so one broken file names itself), RNG first, engine exposed. */
export async function bundleCaseFile(file, window) {
  const entry = [
    "import './bench/prelude.ts';",
    "import { makeEngine } from './bench/engine.ts';",
    "import { setBasePointWindow } from './modules/crypto/noble-core.ts';",
    `import { cases } from './bench/cases/${file}';`,
    `setBasePointWindow(${window});`,
    `globalThis.__bench = makeEngine({ ${JSON.stringify(file)}: cases });`,
  ].join('\n');
  return (await bundleEntryForXS(entry)).script;
}

/** One case in a fresh XS engine: computrons, first-call computrons, live slots, wall time. */
export async function measureXS(script, name) {
  const xs = startWorker();
  try {
    const q = JSON.stringify(name);
    const json = async (expr) => (await xs.evaluateJson(expr));
    await xs.evaluate(script);
    const before = (await xs.evaluate('gc()')).meter.currentHeapCount;
    await xs.evaluate(`__bench.setup(${q})`);
    const first = (await json(`__bench.loop(${q}, 1)`)).meter.compute;
    const after = (await xs.evaluate('gc()')).meter.currentHeapCount;
    const warm = (await json(`__bench.loop(${q}, 1)`)).meter.compute;
    const count = Math.max(1, Math.min(10000, Math.round(XS_LOOP_COMPUTRONS / warm)));
    let best = Infinity, total = 0;
    for (let i = 0; i < REPEATS; i++) {
      const { meter, value } = await json(`__bench.loop(${q}, ${count})`);
      if (i === 0) total = meter.compute;
      best = Math.min(best, value);
    }
    const overhead = (await json(`__bench.loop("__noop", ${count})`)).meter.compute;
    return {
      computrons: Math.round((total - overhead) / count),
      firstCall: first,
      slots: after - before,
      nsPerOp: Math.round((best * 1e6) / count),
    };
  } finally {
    await xs.close();
  }
}

function measureNode(engine, name) {
  engine.setup(name);
  engine.loop(name, 1);
  let count = 1;
  while (engine.loop(name, count) < NODE_LOOP_MS / 4 && count < 1e7) count *= 2;
  count = Math.max(1, Math.round(count * 4));
  let best = Infinity;
  for (let i = 0; i < REPEATS; i++) best = Math.min(best, engine.loop(name, count));
  return Math.round((best * 1e6) / count);
}

async function main() {
  try {
    requireWorker();
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  const windowAt = args.indexOf('--window');
  const window = windowAt < 0 ? DEVICE_WINDOW : Number(args[windowAt + 1]);
  if (!Number.isInteger(window) || window < 1 || window > 16) {
    console.error('usage: node bench/run.mjs [--window N] [case-or-file ...]   (N from 1 to 16)');
    process.exit(2);
  }
  const filters = args.filter((_, i) => windowAt < 0 || (i !== windowAt && i !== windowAt + 1));
  const selected = (name, file) => filters.length === 0 || filters.some((f) => name.includes(f) || file === f || file === `${f}.ts`);
  const rows = [];
  const failures = [];
  console.log(`noble base-point window ${window}${window === DEVICE_WINDOW ? ' (the devices\' setting)' : ''}`);
  console.log(`${'case'.padEnd(36)} ${'computrons'.padStart(12)} ${'first call'.padStart(12)} ${'heap slots'.padStart(10)} ${'XS µs/op'.padStart(10)} ${'Node µs/op'.padStart(10)}`);
  for (const file of caseFiles()) {
    try {
      const script = await bundleCaseFile(file, window);
      // Node runs the same bundle in a fresh context, so it gets the same seeded RNG and inputs.
      const context = createContext({ performance, TextEncoder, TextDecoder });
      runInContext(script, context);
      const engine = context.__bench;
      for (const name of engine.names().filter((n) => selected(n, file))) {
        if (rows.some((r) => r.name === name)) throw new Error(`case ${name} is defined in another file too`);
        const xs = await measureXS(script, name);
        const node = measureNode(engine, name);
        rows.push({ name, computrons: xs.computrons, xs_heap_slots: xs.slots, xs_ns_per_op: xs.nsPerOp, node_ns_per_op: node });
        console.log(`${name.padEnd(36)} ${String(xs.computrons).padStart(12)} ${String(xs.firstCall).padStart(12)} ${String(xs.slots).padStart(10)} ${(xs.nsPerOp / 1000).toFixed(1).padStart(10)} ${(node / 1000).toFixed(2).padStart(10)}`);
      }
    } catch (error) {
      failures.push(`bench/cases/${file}: ${error.message}`);
    }
  }
  if (failures.length > 0) {
    console.error(`\n${failures.join('\n')}\nbench/results.json not written: fix the case files above`);
    process.exit(1);
  }
  if (filters.length === 0 && window === DEVICE_WINDOW) {
    writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`wrote bench/results.json (${rows.length} rows)`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
