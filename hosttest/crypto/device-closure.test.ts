// The device build cannot contain the seeded test RNG, nor anything else from hosttest/, nor
// @noble (its curves come from native libraries: modules/crypto/device-curves.ts): the files
// mcconfig compiles are those manifest.json lists, so this takes that list, follows every import
// with esbuild (Moddable specifiers left external; "noble" kept visible) and inspects the
// closure. It also checks that main.ts installs the hardware random source first.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SEEDED_RNG = 'host/xs/seeded-random.ts';

type ModuleValue = string | { source: string } | (string | { source: string })[];
interface Manifest {
  modules?: Record<string, ModuleValue>;
  platforms?: Record<string, { modules?: Record<string, ModuleValue> }>;
}

/** Project source files (no extension in the manifest) that the manifest's modules name. */
function manifestSources(): string[] {
  const manifest = JSON.parse(readFileSync(`${root}manifest.json`, 'utf8')) as Manifest;
  const tables = [manifest.modules ?? {}, ...Object.values(manifest.platforms ?? {}).map((p) => p.modules ?? {})];
  const excluded = new Set(tables.flatMap((t) => [t['~'] ?? []].flat()).map((v) => (typeof v === 'string' ? v : v.source)));
  const paths = tables.flatMap((t) => Object.entries(t).filter(([k]) => k !== '~').flatMap(([, v]) => [v].flat()))
    .map((v) => (typeof v === 'string' ? v : v.source))
    .filter((p) => p.startsWith('./') && !excluded.has(p));
  const files: string[] = [];
  for (const path of paths) {
    if (path.endsWith('/*')) {
      const dir = path.slice(2, -1);
      for (const name of readdirSync(`${root}${dir}`)) {
        const base = `./${dir}${name.replace(/\.(d\.ts|ts|js)$/, '')}`;
        if (/\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') && !excluded.has(base)) files.push(`${dir}${name}`);
      }
    } else {
      const file = [`${path.slice(2)}.ts`, `${path.slice(2)}.js`].find((f) => existsSync(`${root}${f}`));
      if (file) files.push(file);
    }
  }
  return [...new Set(files)].sort();
}

/** Moddable and other bare specifiers stay outside, "noble" among them, so an import of it shows. */
const NOBLE = 'noble';
const deviceResolution: Plugin = {
  name: 'device-resolution',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function closureOf(entryPoints: string[]): Promise<string[]> {
  const result = await build({
    entryPoints, absWorkingDir: root, bundle: true, write: false, metafile: true, format: 'esm',
    platform: 'neutral', mainFields: ['module', 'main'], outdir: 'closure', splitting: true,
    plugins: [deviceResolution], logLevel: 'silent',
  });
  const imported = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((d) => d.path));
  return [...Object.keys(result.metafile.inputs), ...(imported.includes(NOBLE) ? [NOBLE] : [])].sort();
}

/** main.ts's import specifiers, in evaluation order. */
function mainImports(): string[] {
  const source = readFileSync(`${root}main.ts`, 'utf8');
  return [...source.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

describe('device build contents', () => {
  it('reach no file under hosttest/, so never the seeded test RNG', async () => {
    const sources = manifestSources();
    assert.ok(sources.includes('main.ts') && sources.includes('modules/crypto/device-random.ts'), 'the manifest lists the device files');
    const closure = await closureOf(sources);
    assert.ok(closure.includes('modules/crypto/device-curves.ts'), 'the closure follows imports into the native curves');
    assert.deepEqual(closure.filter((f) => f.startsWith('hosttest/')), []);
    assert.ok(!closure.includes(SEEDED_RNG));
  });

  it('hold no @noble code: no import of "noble" and no noble entry or provider', async () => {
    const closure = await closureOf(manifestSources());
    assert.deepEqual(closure.filter((f) => f === NOBLE || f.includes('@noble/') || /modules\/crypto\/noble-/.test(f)), []);
  });

  it('install the hardware random source first (main.ts imports it before anything else)', () => {
    assert.equal(mainImports()[0], './modules/crypto/device-random.js');
  });
});
