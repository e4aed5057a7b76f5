#!/usr/bin/env node
// What each preloaded module adds to the XS heap, for docs/memory.md: the manifest's preload list
// is imported in order into one fresh engine, one more module per step, and each step's growth in
// live slots after a collection is that module's own objects (functions, classes, frozen tables)
// beyond what its dependencies already built. On a device the same objects are frozen into the
// preloaded heap in flash; a slot is 16 bytes there. Deterministic.
// Usage: node bench/preload.mjs [--top N]
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { projectRoot } from '../host/xs/bundle.mjs';
import { startWorker } from '../host/xs/xsnap.mjs';

const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 40;
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url)));
const preloaded = manifest.preload.filter((m) => m.startsWith('modules/') || m.startsWith('platforms/'));

// Moddable's own modules stand in as empty classes: this measures our modules, not the SDK's.
const sdkStub = {
  name: 'sdk-stub',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => ({ path: a.path, namespace: 'sdk' }));
    b.onLoad({ filter: /.*/, namespace: 'sdk' }, () => ({ contents: 'export default class {}', loader: 'js' }));
  },
};

async function bundle(modules, metafile = false) {
  const contents = modules.map((m, i) => `import * as m${i} from './${m}.ts'; globalThis.__m${i} = m${i};`).join('\n');
  return build({
    stdin: { contents, resolveDir: projectRoot, sourcefile: 'preload-entry.ts', loader: 'ts' },
    bundle: true, write: false, format: 'iife', target: 'es2022', platform: 'neutral',
    supported: { 'class-static-field': false }, plugins: [sdkStub], logLevel: 'silent', metafile,
  });
}

/** Every project module the preload list reaches, dependencies before the modules that import them. */
async function dependencyOrder(roots) {
  const { metafile } = await bundle(roots, true);
  const imports = new Map(Object.entries(metafile.inputs).map(([path, input]) => [path, input.imports.map((i) => i.path)]));
  const order = [], seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !imports.has(path)) return;
    seen.add(path);
    for (const dep of imports.get(path)) visit(dep);
    if (/^(modules|platforms)\/.*\.ts$/.test(path)) order.push(path.replace(/\.ts$/, ''));
  };
  for (const root of roots) visit(`${root}.ts`);
  return order;
}
const ours = await dependencyOrder(preloaded);

/** Live slots after a collection in a fresh engine that evaluated `script`. */
async function liveSlots(script) {
  const xs = startWorker();
  try {
    await xs.evaluate(script);
    return (await xs.evaluate('gc()')).meter.currentHeapCount;
  } finally {
    await xs.close();
  }
}

const rows = [];
let before = await liveSlots('');
for (let i = 0; i < ours.length; i++) {
  // Each step loads the first i+1 modules; the growth over the previous step is module i's own,
  // since its dependencies came before it.
  const after = await liveSlots((await bundle(ours.slice(0, i + 1))).outputFiles[0].text);
  rows.push({ module: ours[i] + (preloaded.includes(ours[i]) ? '' : ' (preloaded through its importers)'), slots: after - before });
  before = after;
}
const total = rows.reduce((s, r) => s + r.slots, 0);
console.log(`| module | live slots | ≈ bytes at 16 B/slot |\n|---|---:|---:|`);
for (const r of [...rows].sort((a, b) => b.slots - a.slots).slice(0, top)) console.log(`| ${r.module} | ${r.slots} | ${r.slots * 16} |`);
console.log(`| all ${rows.length} modules the preload list reaches | ${total} | ${total * 16} |`);
