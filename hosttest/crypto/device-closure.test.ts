// The device build cannot contain the seeded test RNG, nor anything else from hosttest/: the
// files mcconfig compiles are those manifest.json lists (plus build/noble.js), so this takes
// that list, follows every import with esbuild ("noble" = the device bundle's entry, Moddable
// specifiers left external) and inspects the closure. It also checks that main.ts installs the
// hardware random source before anything that loads noble.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { bundleNoble, deviceEntry } from '../../tools/flash/bundle-noble.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SEEDED_RNG = 'host/xs/seeded-random.ts';
const NOBLE_BUNDLE = './build/noble';

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
    .filter((p) => p.startsWith('./') && p !== NOBLE_BUNDLE && !excluded.has(p));
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

/** Moddable and other bare specifiers stay outside; "noble" becomes the device bundle's entry. */
const deviceResolution: Plugin = {
  name: 'device-resolution',
  setup(b) {
    b.onResolve({ filter: /^noble$/ }, () => ({ path: `${root}${deviceEntry}` }));
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@noble/') ? undefined : { path: args.path, external: true }));
  },
};

async function closureOf(entryPoints: string[]): Promise<string[]> {
  const result = await build({
    entryPoints, absWorkingDir: root, bundle: true, write: false, metafile: true, format: 'esm',
    platform: 'neutral', mainFields: ['module', 'main'], outdir: 'closure', splitting: true,
    plugins: [deviceResolution], logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).sort();
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
    const closure = [...(await closureOf(sources)), ...Object.keys((await bundleNoble()).metafile.inputs)];
    assert.ok(closure.includes(deviceEntry), 'the closure follows imports into noble');
    assert.deepEqual(closure.filter((f) => f.startsWith('hosttest/')), []);
    assert.ok(!closure.includes(SEEDED_RNG));
  });

  it('bundle noble from @noble packages and its entry only', async () => {
    const inputs = Object.keys((await bundleNoble()).metafile.inputs);
    assert.deepEqual(inputs.filter((f) => !f.startsWith('node_modules/@noble/') && f !== deviceEntry), []);
  });

  it('install the hardware random source before anything that loads noble (main.ts imports it first)', async () => {
    const imports = mainImports();
    const randomAt = imports.indexOf('./modules/crypto/device-random.js');
    assert.ok(randomAt >= 0, 'main.ts imports ./modules/crypto/device-random.js');
    for (const specifier of imports.slice(0, randomAt)) {
      const closure = specifier.startsWith('.') ? await closureOf([specifier.replace(/\.js$/, '.ts')]) : [];
      assert.ok(!closure.includes(deviceEntry), `${specifier} loads noble before the random source is installed`);
    }
  });
});
