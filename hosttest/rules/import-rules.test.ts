import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { THERAPY_WORKER_MODULE } from '../../modules/therapy/device-therapy.js';
import { buildGraph, checkLayerRules, checkTestsApart, importSpecifiers, isPortableCore, reachedFrom, type SourceTree, type Violation } from './import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

const SCRIPT = /\.(ts|mjs|js)$/;

function filesUnder(dir: string, pattern = /\.ts$/): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f) && !f.endsWith('.d.ts') && !f.split(sep).includes('node_modules'))
    .map((f) => `${dir}/${f.split(sep).join('/')}`)
    .sort();
}

function repoTree(files = filesUnder('modules')): SourceTree {
  return {
    files,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    exists: (path) => existsSync(join(root, path)),
  };
}

function memoryTree(files: Record<string, string>): SourceTree {
  return { files: Object.keys(files), read: (path) => files[path], exists: (path) => path in files };
}

function explain(violations: Violation[]): string {
  return violations.map((v) => `${v.rule}:\n    ${v.chain.join('\n    -> ')}`).join('\n');
}

describe('import rules (layers)', () => {
  it('hold for every file under modules/', () => {
    const tree = repoTree();
    const graph = buildGraph(tree);
    const violations = checkLayerRules(graph);
    assert.ok(tree.files.length > 0 && [...graph.values()].flat().length > 0, 'the walk found files and imports');
    assert.equal(violations.length, 0, `\n${explain(violations)}`);
  });

  it('nothing outside hosttest/ imports hosttest/ (the host runtime, tools, bench and programmer stand without the tests)', () => {
    const outside = ['host', 'tools', 'bench', 'programmer', 'bin', 'modules'].flatMap((dir) => filesUnder(dir, SCRIPT));
    const graph = buildGraph(repoTree(['main.ts', ...outside]));
    assert.ok(outside.some((f) => f.startsWith('host/')) && outside.some((f) => f.startsWith('programmer/')), 'the walk found the host runtime and the programmer');
    const violations = checkTestsApart(graph);
    assert.equal(violations.length, 0, `\n${explain(violations)}`);
  });

  it('every firmware file is reached from the device entries or excluded from the image in manifest.json', () => {
    const tree = repoTree(['main.ts', ...filesUnder('modules')]);
    const reached = reachedFrom(buildGraph(tree), ['main.ts', `${THERAPY_WORKER_MODULE}.ts`], 'modules/crypto/noble-device-entry.ts');
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { modules: { '~'?: string[] } };
    const excluded = new Set((manifest.modules['~'] ?? []).filter((e) => e.startsWith('./modules/')).map((e) => `${e.slice(2)}.ts`));
    const unreached = tree.files.filter((f) => f !== 'main.ts' && !reached.has(f) && !excluded.has(f)).sort();
    assert.ok(reached.has('modules/app/firmware.ts') && reached.has('modules/therapy/engine.ts'), 'both machines\' entries were followed');
    assert.deepEqual(unreached, [], 'code no device calls moves out of modules/ or is excluded from the image in manifest.json');
  });

  it('the parser sees static, type-only, re-export and dynamic imports', () => {
    const source = [
      "import a from 'timer';",
      "import type { B } from './b.js';",
      "export { c } from '../c.js';",
      "export * from 'flash';",
      "const d = await import('./d.js');",
      'const e = await import(name);',
      "// import x from 'not-an-import';",
      "const s = \"import y from 'not-either'\";",
    ].join('\n');
    assert.deepEqual(importSpecifiers('modules/x/a.ts', source).sort(), ['../c.js', './b.js', './d.js', '<dynamic>', 'flash', 'timer'].sort());
  });

  it('can fail: direct, transitive and unfollowable violations are all reported', () => {
    const graph = buildGraph(
      memoryTree({
        'modules/therapy/engine.ts': "import { clock } from '../core/clock.js';\nimport type { T } from '../ble/gatt.js';\nimport type { S } from '../therapy-control/supervisor.js';",
        'modules/therapy-control/supervisor.ts': 'export interface S {}',
        'modules/therapy-control/leaky.ts': "import { ROLES } from '../access/roles.js';",
        'modules/access/roles.ts': 'export const ROLES = 1;',
        'modules/storage/upward.ts': "import { say } from '../app/step.js';",
        'modules/app/step.ts': 'export const say = 1;',
        'modules/therapy/pacing.ts': "import { helper } from '../core/helper.js';",
        'modules/core/helper.ts': "export { x } from '../channel/session.js';\nimport Timer from 'timer';",
        'modules/core/clock.ts': 'export const clock = 1;',
        'modules/core/nodey.ts': "import { readFileSync } from 'node:fs';",
        'modules/core/lazy.ts': 'export const load = (m: string) => import(m);',
        'modules/core/typo.ts': "import { y } from './missing.js';",
        'modules/core/leak.ts': "import { Prng } from '../../host/lib/prng.js';",
        'modules/ble/gatt.ts': "import BLEServer from 'bleserver';",
        'modules/ble/device-gatt.ts': "import BLEServer from 'bleserver';",
        'modules/channel/session.ts': 'export const x = 1;',
        'modules/platform/timer-clock.ts': "import Timer from 'timer';",
        'modules/crypto/noble-provider.ts': "import { sha256 } from 'noble';",
        'modules/crypto/noble-entry.ts': "export * from './noble-device-entry.js';\nexport { sha256 } from '@noble/hashes/sha2.js';",
        'modules/crypto/noble-device-entry.ts': "export { x25519 } from '@noble/curves/ed25519.js';",
        'modules/core/sneaky.ts': "import { x25519 } from '../crypto/noble-device-entry.js';",
        'modules/core/direct.ts': "import { x25519 } from '@noble/curves/ed25519.js';",
        'host/lib/prng.ts': 'export class Prng {}',
      }),
    );
    const found = checkLayerRules(graph).map((v) => `${v.rule.split(' ')[0]} ${v.chain.join(' > ')}`);
    const expected = [
      'the modules/therapy/engine.ts > modules/ble/gatt.ts',
      'the modules/therapy/pacing.ts > modules/core/helper.ts > modules/channel/session.ts',
      'the modules/therapy/engine.ts > modules/therapy-control/supervisor.ts',
      'therapy-control modules/therapy-control/leaky.ts > modules/access/roles.ts',
      'only modules/storage/upward.ts > modules/app/step.ts',
      'portable modules/therapy/engine.ts > modules/ble/gatt.ts > "bleserver"',
      'portable modules/therapy/pacing.ts > modules/core/helper.ts > "timer"',
      'portable modules/core/helper.ts > "timer"',
      'portable modules/core/nodey.ts > "node:fs"',
      'portable modules/ble/gatt.ts > "bleserver"',
      'every modules/core/lazy.ts > unfollowable import <dynamic>',
      'every modules/core/typo.ts > unfollowable import ./missing.js',
      'firmware modules/core/leak.ts > host/lib/prng.ts',
      '@noble modules/core/sneaky.ts > modules/crypto/noble-device-entry.ts',
      'portable modules/core/direct.ts > "@noble/curves/ed25519.js"',
    ];
    assert.deepEqual(found.sort(), expected.sort());
  });

  it('can fail: a host file importing a test helper is reported', () => {
    const graph = buildGraph(memoryTree({
      'host/fixtures/board.ts': "import { x } from '../../hosttest/lib/assert.js';",
      'hosttest/lib/assert.ts': "import { y } from '../../host/lib/prng.js';",
      'host/lib/prng.ts': 'export const y = 1;',
    }));
    assert.deepEqual(checkTestsApart(graph), [{ rule: 'nothing outside hosttest/ imports hosttest/', chain: ['host/fixtures/board.ts', 'hosttest/lib/assert.ts'] }]);
  });

  it('checks a file named like an adapter as portable when it imports no Moddable specifier itself', () => {
    const graph = buildGraph(repoTree());
    for (const path of ['modules/ble/device-info.ts', 'modules/storage/device-keys.ts', 'modules/therapy/device-therapy.ts']) {
      assert.equal(isPortableCore(path, graph.get(path)), true, path);
    }
    assert.equal(isPortableCore('modules/ble/device-gatt.ts', graph.get('modules/ble/device-gatt.ts')), false, 'the GATT server imports "bleserver"');
    const fixture = buildGraph(memoryTree({
      'modules/ble/device-named.ts': "import { x } from '../core/lazy-node.js';",
      'modules/core/lazy-node.ts': "import { readFileSync } from 'node:fs';",
    }));
    assert.deepEqual(checkLayerRules(fixture).map((v) => v.chain.join(' > ')).sort(), [
      'modules/ble/device-named.ts > modules/core/lazy-node.ts > "node:fs"',
      'modules/core/lazy-node.ts > "node:fs"',
    ]);
  });

  it('classifies device adapters and platform glue as non-portable', () => {
    assert.equal(isPortableCore('modules/core/clock.ts'), true);
    assert.equal(isPortableCore('modules/therapy/engine.ts'), true);
    assert.equal(isPortableCore('modules/ble/device-gatt.ts'), false);
    assert.equal(isPortableCore('modules/platform/timer-clock.ts'), false);
    assert.equal(isPortableCore('modules/crypto/noble-entry.ts'), true, 'the bundle entries are portable; only their @noble imports are allowed');
    assert.equal(isPortableCore('host/shims/timer.ts'), false);
  });
});
