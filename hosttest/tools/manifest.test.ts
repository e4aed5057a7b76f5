// manifest.json against the tree: what mcconfig will build and preload. mcconfig itself runs
// only where the Moddable SDK is installed (npm run flash -- lin); these checks run everywhere.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { buildGraph, isPortableCore } from '../rules/import-graph.js';
import { findModuleScopeHazards } from './preload-scope.js';

const root = new URL('../../', import.meta.url);
const at = (path: string) => new URL(path, root);
const exists = (path: string) => existsSync(at(path));
const read = (path: string) => readFileSync(at(path), 'utf8');

interface Creation {
  static?: number;
  chunk?: { initial?: number; incremental?: number };
  heap?: { initial?: number; incremental?: number };
  stack?: number;
}
interface Platform {
  creation?: Creation;
  config?: { board?: string; therapyBoard?: string; therapyWorker?: Creation & { core?: number; priority?: number } };
}
interface Manifest {
  modules: Record<string, string | string[]>;
  preload: string[];
  creation: Creation;
  config: Platform['config'];
  ble?: Record<string, string[]>;
  platforms: Record<string, Platform>;
}

const manifest = JSON.parse(read('manifest.json')) as Manifest;

/** Folders under modules/ holding TypeScript, as repository-relative paths. */
function sourceFolders(dir = 'modules'): string[] {
  const entries = readdirSync(at(dir), { withFileTypes: true });
  const here = entries.some((e) => e.isFile() && e.name.endsWith('.ts')) ? [dir] : [];
  return [...here, ...entries.filter((e) => e.isDirectory()).flatMap((e) => sourceFolders(`${dir}/${e.name}`))];
}

function firmwareFiles(dir = 'modules'): string[] {
  return readdirSync(at(dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? firmwareFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

const ours = (specifier: string) => specifier.startsWith('modules/');
const preloadedFiles = () => manifest.preload.filter(ours).map((s) => `${s}.ts`);

describe('manifest.json', () => {
  it('maps every folder of TypeScript under modules/ to the specifier prefix of its path', () => {
    // mcconfig globs one folder per entry; relative "./x.js" imports resolve against the
    // importer's specifier, so specifier prefixes must mirror the folders.
    const mapped = Object.entries(manifest.modules).filter(([key]) => ours(key));
    for (const folder of sourceFolders()) {
      assert.equal(manifest.modules[`${folder}/*`], `./${folder}/*`, `add "${folder}/*": "./${folder}/*" to manifest.json modules`);
    }
    for (const [key, value] of mapped) {
      assert.equal(value, `./${key}`, `${key} maps to its own path`);
      assert.ok(exists(key.slice(0, -2)), `${key}: folder missing (mcconfig stops on it)`);
    }
  });

  it('builds no @noble: no "noble" module, and the noble-backed crypto files are left out', () => {
    assert.equal(manifest.modules.noble, undefined);
    assert.ok(!manifest.preload.includes('noble'));
    for (const file of ['noble-core', 'noble-entry', 'noble-device-entry', 'noble-provider']) {
      assert.ok((manifest.modules['~'] as string[]).includes(`./modules/crypto/${file}`), `${file} is excluded`);
    }
  });

  it('preloads only existing portable-core modules that never load noble, and not main', () => {
    assert.ok(!manifest.preload.includes('main'));
    const graph = buildGraph({ files: firmwareFiles(), read, exists });
    for (const specifier of manifest.preload) {
      if (!ours(specifier)) {
        assert.ok(specifier in manifest.modules, `${specifier}: preloaded SDK module must be mapped in manifest.json`);
        continue;
      }
      const file = `${specifier}.ts`;
      assert.ok(exists(file), `${specifier}: no such module`);
      assert.ok(isPortableCore(file), `${specifier}: only portable-core modules are preloaded`);
      const seen = new Set([file]);
      for (const path of seen) {
        for (const { target } of graph.get(path) ?? []) {
          assert.notEqual(target.kind, 'bare', `${specifier} loads ${path}, which imports a bare specifier: preloading would run it at build time`);
          if (target.kind === 'file') seen.add(target.path);
        }
      }
    }
  });

  it('keeps no typed arrays, Maps, Sets or mutable statics at module scope in what it preloads', () => {
    // Preloading a module runs its imports at build time too, so the whole closure is checked;
    // each finding names the preloaded module that pulls the file in.
    const graph = buildGraph({ files: firmwareFiles(), read, exists });
    const via = new Map(preloadedFiles().filter(exists).map((f) => [f, f]));
    for (const [path, root] of via) {
      for (const { target } of graph.get(path) ?? []) if (target.kind === 'file' && !via.has(target.path)) via.set(target.path, root);
    }
    const config = ts.getParsedCommandLineOfConfigFile(new URL('tsconfig.json', root).pathname, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    });
    assert.ok(config);
    const files = [...via.keys()].map((f) => new URL(f, root).pathname);
    const program = ts.createProgram(files, config.options);
    const findings = findModuleScopeHazards(program, files).map((f) => {
      const file = f.file.slice(root.pathname.length);
      return `${file}:${f.line} ${f.code} holds ${f.holds} (preloaded as ${via.get(file)?.slice(0, -3)}: fix it, or take that out of manifest.json preload)`;
    });
    assert.deepEqual(findings, []);
  });

  it('preloads the Error.prototype.name fix, without which every `this.name = ...` throws on the device', () => {
    // Checked in Moddable's lin runtime: without it `new CborError(...)` throws
    // "TypeError: set name: not writable" (docs/architecture.md, section 3.4).
    assert.equal(manifest.modules['platforms/preload/error-name'], './platforms/preload/error-name');
    assert.ok(manifest.preload.includes('platforms/preload/error-name'));
    assert.match(read('platforms/preload/error-name.ts'), /Object\.defineProperty\(Error\.prototype, 'name'/);
  });

  it('names each device platform as its board (modules/app/device-platform.ts picks update banks and pins by it)', () => {
    for (const device of ['esp32', 'nrf52']) {
      const config = manifest.platforms[device]?.config;
      assert.equal(config?.board, device, `${device}: config.board`);
      assert.ok(config?.therapyBoard, `${device}: config.therapyBoard names a pin map`);
    }
  });

  it('gives every machine a stack for the noble bundle and a therapy worker that fits its block', () => {
    const targets = { base: { creation: manifest.creation, config: manifest.config }, ...manifest.platforms };
    for (const [name, platform] of Object.entries(targets)) {
      const stack = platform.creation?.stack ?? manifest.creation.stack ?? 0;
      assert.ok(stack >= 1024, `${name}: stack ${stack} < 1024 slots (loading the noble bundle needs 1024)`);
    }
    const worker = manifest.config?.therapyWorker;
    assert.ok(worker?.static && worker.chunk?.initial && worker.heap?.initial && worker.stack);
    const initial = worker.chunk.initial + 16 * (worker.heap.initial + worker.stack);
    assert.ok(initial <= worker.static, `therapy worker: initial chunk + slots ${initial} B exceed its static ${worker.static} B`);
    for (const device of ['esp32', 'nrf52']) {
      const creation = manifest.platforms[device]?.creation;
      assert.ok(creation?.static && creation.chunk?.initial && creation.heap?.initial && creation.stack, `${device}: fixed creation sizes`);
      const mainInitial = creation.chunk.initial + 16 * (creation.heap.initial + creation.stack);
      assert.ok(mainInitial <= creation.static, `${device}: initial ${mainInitial} B exceed static ${creation.static} B`);
    }
  });

  it('takes the GATT services from modules/ble/bleservices', () => {
    assert.deepEqual(manifest.ble, { '*': ['./modules/ble/bleservices/*'] });
    assert.ok(readdirSync(at('modules/ble/bleservices')).some((f) => f.endsWith('.json')), 'no service JSON');
  });
});

describe('preload scope check', () => {
  it('flags what preloading would freeze, directly or through a helper, and nothing else', () => {
    const source = `
      function bytes(n: number): Uint8Array { return new Uint8Array(n); }
      function lazy(): Map<string, number> { return new Map(); }
      export const DIRECT = new Uint8Array(4);
      export const VIA_HELPER = bytes(2);
      export const NESTED = Object.freeze({ table: { keys: [new Set<string>()] } });
      export class Counter { static count = 0; static readonly LIMIT = 3; private items = new Map<string, number>(); }
      export const OK = Object.freeze({ limit: 3, name: 'x', make: bytes, lazy });
      let scratch: Uint8Array | undefined;
      export function use(): Uint8Array { scratch ??= new Uint8Array(8); return scratch; }
    `;
    const fileName = '/virtual/sample.ts';
    const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], noEmit: true };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, language) =>
      name === fileName ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language);
    const program = ts.createProgram([fileName], options, host);
    const lines = findModuleScopeHazards(program, [fileName]).map((f) => `${f.code} ${f.holds}`);
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.match(lines[0], /DIRECT.*Uint8Array/);
    assert.match(lines[1], /VIA_HELPER.*Uint8Array/);
    assert.match(lines[2], /NESTED.*Set<string> at table\.keys\[\]/);
    assert.match(lines[3], /Counter\.count.*static field/);
  });
});
