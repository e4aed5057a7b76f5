#!/usr/bin/env node
// Runs every hosttest/**/*.portable.test.ts inside the real XS engine (xsnap-worker), one
// fresh engine per file, and prints per-file results and a final "N passed, N failed" line.
// Usage: node hosttest/xs/run-portable.mjs [file | substring ...]
// (a path to an existing .ts file runs that file; a substring filters the portable tests)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bundleForXS, mapStack, projectRoot } from '../../host/xs/bundle.mjs';
import { decodeText, requireWorker, startWorker } from '../../host/xs/xsnap.mjs';
import { useVectorsDir } from '../lib/vectors-dir.mjs';

/** A file that runs longer than this (wall time) is stopped and fails: a test that never ends. */
const FILE_TIMEOUT_S = Number(process.env.IMPLANT_XS_FILE_TIMEOUT_S ?? 600);

function findPortableTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findPortableTests(path);
    return entry.name.endsWith('.portable.test.ts') ? [relative(projectRoot, path)] : [];
  }).sort();
}

/** Answers the test's requests (hosttest/xs/host-bridge.ts) and collects its output. */
function hostFor(outcome, bundle) {
  return (bytes) => {
    const request = JSON.parse(decodeText(bytes));
    switch (request.op) {
      case 'readText': return JSON.stringify({ text: readFileSync(resolve(projectRoot, request.path), 'utf8') });
      case 'env': return JSON.stringify({ value: process.env[request.name] });
      case 'log': outcome.lines.push(`      ${request.line}`); return '{}';
      case 'result':
        if (request.status === 'pass') {
          outcome.passed++;
          outcome.lines.push(`  ok    ${request.title}`);
        } else {
          outcome.failed++;
          outcome.lines.push(`  FAIL  ${request.title}\n        ${mapStack(request.error, bundle.sourceMap).replaceAll('\n', '\n        ')}`);
        }
        return '{}';
      default: throw new Error(`unknown request ${request.op}`);
    }
  };
}

async function runFile(file) {
  const outcome = { file, passed: 0, failed: 0, lines: [] };
  const started = performance.now();
  let bundle;
  try {
    bundle = await bundleForXS(['hosttest/xs/prelude.ts', file]);
  } catch (error) {
    outcome.failed++;
    outcome.lines.push(`  FAIL  bundling: ${error.message}`);
    return outcome;
  }
  const worker = startWorker({ onCommand: hostFor(outcome, bundle) });
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    worker.child.kill('SIGKILL');
  }, FILE_TIMEOUT_S * 1000);
  try {
    await worker.evaluate(bundle.script);
    await worker.evaluate('__implantRun()');
    const { value: finished } = await worker.evaluateJson('__implantFinished()');
    if (!finished) {
      outcome.failed++;
      outcome.lines.push('  FAIL  the run did not finish: a test awaits something XS never delivers (setTimeout? I/O?)');
    }
  } catch (error) {
    outcome.failed++;
    outcome.lines.push(timedOut
      ? `  FAIL  stopped after ${FILE_TIMEOUT_S} s (IMPLANT_XS_FILE_TIMEOUT_S): a test never finished`
      : `  FAIL  XS error outside any test: ${mapStack(error.message, bundle.sourceMap)}`);
  } finally {
    clearTimeout(watchdog);
    await worker.close();
  }
  outcome.ms = Math.round(performance.now() - started);
  return outcome;
}

async function main() {
  try {
    requireWorker();
    useVectorsDir(projectRoot);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  const explicit = args.filter((a) => a.endsWith('.ts') && existsSync(a)).map((a) => relative(projectRoot, resolve(a)));
  const filters = args.filter((a) => !explicit.includes(relative(projectRoot, resolve(a))));
  const files = explicit.length > 0 && filters.length === 0 ? explicit
    : findPortableTests(join(projectRoot, 'hosttest')).filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
  if (files.length === 0) {
    console.error('no *.portable.test.ts files matched');
    process.exit(2);
  }
  console.log(`XS engine (xsnap-worker): ${files.length} portable test file(s)`);
  const queue = [...files];
  const outcomes = new Map();
  let next = 0;
  const report = () => {
    // Print in file order as soon as each file's predecessors are done.
    while (next < files.length && outcomes.has(files[next])) {
      const o = outcomes.get(files[next++]);
      console.log(`\n${o.file}: ${o.passed} passed, ${o.failed} failed${o.ms === undefined ? '' : ` (${o.ms} ms)`}`);
      for (const line of o.lines) console.log(line);
    }
  };
  const lanes = Array.from({ length: Math.min(availableParallelism(), files.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      outcomes.set(file, await runFile(file));
      report();
    }
  });
  await Promise.all(lanes);
  const all = [...outcomes.values()];
  const passed = all.reduce((n, o) => n + o.passed, 0);
  const failed = all.reduce((n, o) => n + o.failed, 0);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

await main();
