// Builds the web app into webapp/dist (or --out DIR): one esbuild bundle of the app (preact,
// htm, uPlot, @noble and the portable programmer code), its CSS, the service worker with the
// list of files it caches for offline use, the PWA manifest and icon. The output is plain static
// files: the simulator serves them, and any HTTPS host can (Web Bluetooth needs a secure context).
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = join(root, 'webapp');

/** Builds into `outdir`; returns each file's size and gzip size in bytes. */
export async function buildWebApp({ outdir = join(here, 'dist'), minify = true } = {}) {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const common = { bundle: true, minify, platform: 'browser', target: ['chrome100', 'safari15'], absWorkingDir: root, logLevel: 'warning', legalComments: 'linked' };
  await build({
    ...common,
    entryPoints: { app: join(here, 'src/main.ts') },
    outdir,
    format: 'esm',
    alias: { noble: './modules/crypto/noble-entry.ts' },
  });
  for (const name of await readdir(join(here, 'static'))) await copyFile(join(here, 'static', name), join(outdir, name));
  const assets = (await readdir(outdir)).filter((f) => !f.endsWith('.LEGAL.txt')).sort();
  const hash = createHash('sha256');
  for (const f of assets) hash.update(f).update(await readFile(join(outdir, f)));
  await build({
    ...common,
    entryPoints: [join(here, 'src/sw.ts')],
    outfile: join(outdir, 'sw.js'),
    format: 'iife',
    define: { __ASSETS__: JSON.stringify(['./', ...assets.map((f) => `./${f}`)]), __VERSION__: JSON.stringify(hash.digest('hex').slice(0, 12)) },
  });
  const sizes = {};
  for (const f of (await readdir(outdir)).sort()) {
    const bytes = await readFile(join(outdir, f));
    sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--out');
  const outdir = at > 0 ? process.argv[at + 1] : undefined;
  const sizes = await buildWebApp(outdir ? { outdir } : {});
  let total = 0;
  for (const [f, s] of Object.entries(sizes)) {
    if (!f.endsWith('.LEGAL.txt')) total += s.gzip;
    console.log(`${f.padEnd(24)} ${String(s.bytes).padStart(8)} B  ${String(s.gzip).padStart(7)} B gzip`);
  }
  console.log(`web app in ${relative(process.cwd(), outdir ?? join(here, 'dist')) || '.'}: ${(total / 1024).toFixed(1)} KiB gzip in all`);
}
