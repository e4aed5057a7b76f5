#!/usr/bin/env node
// `npm run fuzz -- ARGS`: runs tools/fuzz/main.ts under c8 (tools/fuzz/c8.json), then sums the
// branch coverage of the targeted files in two groups: the parsers (every byte they read comes
// from outside) and the session and storage state machines they feed. Exit code: the fuzzer's.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const config = JSON.parse(readFileSync(new URL('c8.json', import.meta.url), 'utf8'));
export const PARSERS = Object.freeze([
  'modules/core/cbor.ts', 'modules/core/cose.ts', 'modules/channel/framing.ts', 'modules/channel/schema.ts',
  'modules/access/certificate.ts', 'modules/access/trust-store.ts', 'modules/bootloader/manifest.ts',
  'modules/bootloader/signed-manifest.ts', 'modules/bootloader/package.ts', 'modules/therapy/protocol.ts',
]);

const c8 = fileURLToPath(new URL('../../node_modules/c8/bin/c8.js', import.meta.url));
const run = spawnSync(process.execPath, [c8, '--config', 'tools/fuzz/c8.json', process.execPath, '--import', './host/register.mjs', 'tools/fuzz/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (run.status === 2) process.exit(2);

const summary = JSON.parse(readFileSync(new URL(`${config['reports-dir']}/coverage-summary.json`, new URL('../../', import.meta.url)), 'utf8'));
const group = (files) => {
  let covered = 0, total = 0;
  for (const [path, s] of Object.entries(summary)) {
    if (path === 'total' || !files(path.slice(root.length))) continue;
    covered += s.branches.covered;
    total += s.branches.total;
  }
  return `${(100 * covered / Math.max(1, total)).toFixed(1)} % (${covered}/${total})`;
};
console.log(`branch coverage: parsers ${group((f) => PARSERS.includes(f))}; state machines ${group((f) => !PARSERS.includes(f))}`);
process.exit(run.status ?? 1);
