// `npm run sbom` (tools/sbom/sbom.mjs): the CycloneDX document generates, names every runtime
// dependency at its locked version, says where each ships, and gives every component the support
// level and end-of-support that the FDA premarket guidance asks for (§V.A.4).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module of the tool, without types
import { makeSbom } from '../../tools/sbom/sbom.mjs';

interface Property { name: string; value: string }
interface Component { type: string; name: string; group?: string; version: string; 'bom-ref': string; properties?: Property[]; licenses?: unknown[] }
interface Bom { bomFormat: string; specVersion: string; metadata: { component: { type: string; name: string; 'bom-ref': string } }; components: Component[]; dependencies: { ref: string; dependsOn?: string[] }[] }

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { packages: Record<string, { version: string }> };

const fullName = (c: Component) => (c.group ? `${c.group}/${c.name}` : c.name);
const prop = (c: Component, name: string) => c.properties?.find((p) => p.name === name)?.value;

describe('SBOM (CycloneDX)', function () {
  this.timeout(120_000);
  let bom: Bom;
  before(async () => {
    bom = (await makeSbom()) as Bom;
  });

  it('is CycloneDX 1.6 describing this firmware', () => {
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.6');
    assert.equal(bom.metadata.component.type, 'firmware');
    assert.equal(bom.metadata.component.name, pkg.name);
  });

  it('lists every runtime dependency at the version the lockfile pins', () => {
    for (const name of Object.keys(pkg.dependencies)) {
      const c = bom.components.find((x) => fullName(x) === name);
      assert.ok(c, `${name} is missing`);
      assert.equal(c.version, lock.packages[`node_modules/${name}`].version, name);
    }
  });

  it('says the web app ships its UI and chart libraries, and that esbuild only builds', () => {
    for (const name of ['preact', 'htm', 'uplot']) {
      const c = bom.components.find((x) => fullName(x) === name);
      assert.match(prop(c!, 'implant:ships-in') ?? '', /web app/, name);
    }
    assert.match(prop(bom.components.find((x) => fullName(x) === 'esbuild')!, 'implant:ships-in') ?? '', /build tool/);
  });

  it('puts no npm package in the device image while the manifest keeps noble out of it', () => {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8')) as { modules: Record<string, unknown> };
    const excluded = (manifest.modules['~'] as string[]).includes('./modules/crypto/noble-device-entry');
    const npm = bom.components.filter((c) => (c as Component & { purl?: string }).purl?.startsWith('pkg:npm/'));
    const inDevice = npm.filter((c) => /device image/.test(prop(c, 'implant:ships-in') ?? ''));
    if (excluded) assert.deepEqual(inDevice.map(fullName), []);
    else assert.ok(inDevice.some((c) => c.group === '@noble'), 'the device bundles noble but the SBOM does not say so');
  });

  it('names the parts no lockfile lists, with supplier, licence and version', () => {
    for (const ref of ['moddable-sdk', 'xs-engine', 'esp-idf', 'freertos', 'nimble', 'nrf5-sdk', 'softdevice-s140']) {
      const c = bom.components.find((x) => x['bom-ref'] === ref);
      assert.ok(c, `${ref} is missing`);
      assert.ok(c.version && c.licenses && c.licenses.length > 0, ref);
      assert.ok(bom.dependencies.find((d) => d.ref === bom.metadata.component['bom-ref'])?.dependsOn?.includes(ref), `${ref} is not a dependency of the firmware`);
    }
  });

  it('gives every component a support level and an end-of-support statement', () => {
    for (const c of bom.components) {
      assert.ok(prop(c, 'fda:support-level'), `${fullName(c)} has no support level`);
      assert.ok(prop(c, 'fda:end-of-support'), `${fullName(c)} has no end-of-support`);
      assert.ok(prop(c, 'implant:ships-in'), `${fullName(c)} does not say where it ships`);
    }
  });
});
