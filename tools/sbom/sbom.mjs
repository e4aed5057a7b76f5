#!/usr/bin/env node
// `npm run sbom`: a CycloneDX 1.6 software bill of materials for the firmware and the web app
// (docs/sbom.md). The npm packages come from @cyclonedx/cyclonedx-npm (runtime dependencies
// only); each is marked with where it ships, read from what esbuild really bundles into the
// device's noble module and into the web app; the parts no lockfile names (Moddable SDK, XS,
// ESP-IDF, FreeRTOS, NimBLE, nRF5 SDK, SoftDevice) come from platform-components.json. Every
// component carries the FDA premarket guidance's support level and end-of-support (§V.A.4).
// Usage: node tools/sbom/sbom.mjs [--out FILE]   (default build/sbom/implant-firmware.cdx.json)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackages } from './bundled-packages.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_OUT = 'build/sbom/implant-firmware.cdx.json';

/** What cyclonedx-npm says of the installed runtime tree (devDependencies left out). */
function npmBom() {
  const cli = join(root, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js');
  const json = execFileSync(process.execPath, [cli, '--omit', 'dev', '--spec-version', '1.6', '--mc-type', 'firmware',
    '--output-reproducible', '--flatten-components', '--output-format', 'JSON', '--output-file', '-', join(root, 'package.json')],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(json);
}

const property = (name, value) => ({ name, value });

/** A platform component of platform-components.json in CycloneDX form. */
function platformComponent(c) {
  const refs = [c.website && { type: 'website', url: c.website }, c.vcs && { type: 'vcs', url: c.vcs }].filter(Boolean);
  return {
    type: c.type, 'bom-ref': c['bom-ref'], supplier: { name: c.supplier }, name: c.name, version: c.version,
    licenses: c.licenses.map((id) => (id.startsWith('LicenseRef-') ? { license: { name: id } } : { license: { id } })),
    ...(c.purl ? { purl: c.purl } : {}),
    ...(refs.length ? { externalReferences: refs } : {}),
    properties: [
      property('implant:ships-in', c.ships), property('implant:role', c.role),
      property('fda:support-level', c.supportLevel), property('fda:end-of-support', c.endOfSupport),
    ],
  };
}

export async function makeSbom() {
  const bom = npmBom();
  const shipped = await bundledPackages(root);
  for (const component of bom.components ?? []) {
    const fullName = component.group ? `${component.group}/${component.name}` : component.name;
    const where = shipped.get(fullName) ?? ['host or build tool (not in any image)'];
    component.properties = [
      ...(component.properties ?? []),
      property('implant:ships-in', where.join(', ')),
      property('fda:support-level', 'open-source package maintained by its authors; the project pins the exact version and reviews each upgrade'),
      property('fda:end-of-support', 'none announced; watched with npm audit at every release'),
    ];
  }
  const platform = JSON.parse(readFileSync(join(root, 'tools/sbom/platform-components.json'), 'utf8')).components;
  bom.components = [...(bom.components ?? []), ...platform.map(platformComponent)];
  const rootRef = bom.metadata.component['bom-ref'];
  const edge = (bom.dependencies ?? []).find((d) => d.ref === rootRef);
  const platformRefs = platform.map((c) => c['bom-ref']);
  if (edge) edge.dependsOn = [...(edge.dependsOn ?? []), ...platformRefs];
  else bom.dependencies = [...(bom.dependencies ?? []), { ref: rootRef, dependsOn: platformRefs }];
  return bom;
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  if (args.some((a, i) => a !== '--out' && i !== at + 1) || (at >= 0 && !args[at + 1])) {
    console.error('usage: node tools/sbom/sbom.mjs [--out FILE]');
    process.exit(2);
  }
  const out = resolve(root, at >= 0 ? args[at + 1] : DEFAULT_OUT);
  const bom = await makeSbom();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
  console.log(`wrote ${out}: ${bom.components.length} components (CycloneDX ${bom.specVersion})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
