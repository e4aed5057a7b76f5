// Which npm packages each shipped bundle really contains, read from esbuild's metafile: the
// device's noble module (tools/flash/bundle-noble.mjs), but only while manifest.json maps it
// into the device build (since the device's curves went native it does not), and the web app
// (webapp/). A package in the lockfile that no bundle pulls in is a host or build tool.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { bundleNoble } from '../flash/bundle-noble.mjs';

/** The web app's entry point, bundled for the browser as webapp's own build does. */
export const WEB_ENTRY = 'webapp/src/main.ts';

/** The package (name) that owns a bundled input file under node_modules. */
function owningPackage(root, input) {
  let dir = dirname(join(root, input));
  while (dir.includes('node_modules')) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
      if (name) return name;
    }
    dir = dirname(dir);
  }
  return undefined;
}

function packagesOf(root, metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.includes('node_modules/')) continue;
    const name = owningPackage(root, input);
    if (name) names.add(name);
  }
  return names;
}

async function webMetafile(root) {
  const result = await build({
    entryPoints: [WEB_ENTRY], absWorkingDir: root, bundle: true, write: false, format: 'esm',
    platform: 'browser', metafile: true, outdir: 'build/sbom-web', logLevel: 'silent',
  });
  return result.metafile;
}

/** Whether manifest.json maps the generated noble bundle (build/noble.js) into the device image. */
function deviceTakesNoble(root) {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const maps = [manifest.modules, ...Object.values(manifest.platforms ?? {}).map((p) => p.modules)].filter(Boolean);
  return maps.some((m) => Object.values(m).flat().some((path) => typeof path === 'string' && path.includes('build/noble')));
}

/** Package name → the images it ships in ('device image', 'web app'). */
export async function bundledPackages(root) {
  const images = [['web app', await webMetafile(root)]];
  if (deviceTakesNoble(root)) images.unshift(['device image', (await bundleNoble()).metafile]);
  const shipped = new Map();
  for (const [image, metafile] of images) {
    for (const name of packagesOf(root, metafile)) shipped.set(name, [...(shipped.get(name) ?? []), image]);
  }
  return shipped;
}
