// The random source noble draws from: Web Crypto semantics over a byte source, and the device
// adapter that installs the hardware RNG (here over the "mc/ffi" shim).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { installRandomSource, makeGetRandomValues, MAX_RANDOM_BYTES } from '../../modules/crypto/random-source.js';

const counting = () => {
  let next = 1;
  return (bytes: Uint8Array) => bytes.forEach((_, i) => (bytes[i] = next++ & 0xff));
};

describe('random source', () => {
  it('fills the whole view of any integer typed array and returns it', () => {
    const getRandomValues = makeGetRandomValues(counting());
    const buffer = new ArrayBuffer(12);
    const view = new Uint32Array(buffer, 4, 2);
    assert.equal(getRandomValues(view), view);
    assert.deepEqual([...new Uint8Array(buffer)], [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses float arrays, DataView and oversized requests as Web Crypto does, filling nothing', () => {
    let calls = 0;
    const getRandomValues = makeGetRandomValues(() => void calls++);
    assert.throws(() => getRandomValues(new Float64Array(2)), TypeError);
    assert.throws(() => getRandomValues(new DataView(new ArrayBuffer(4))), TypeError);
    assert.throws(() => getRandomValues(new Uint8Array(MAX_RANDOM_BYTES + 1)), RangeError);
    assert.equal(calls, 0);
    getRandomValues(new Uint8Array(MAX_RANDOM_BYTES));
    assert.equal(calls, 1);
  });

  it('passes a failing source on as an exception', () => {
    const getRandomValues = makeGetRandomValues(() => {
      throw new Error('hardware random source failed (status -3)');
    });
    assert.throws(() => getRandomValues(new Uint8Array(16)), /status -3/);
  });

  it('installs a frozen crypto object holding only getRandomValues', () => {
    const target = {} as { crypto?: { getRandomValues: unknown } };
    installRandomSource(counting(), target);
    assert.ok(Object.isFrozen(target.crypto));
    assert.deepEqual(Object.keys(target.crypto!), ['getRandomValues']);
  });

  it('device-random replaces globalThis.crypto with the hardware source when imported', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const script = [
      "await import('./modules/crypto/device-random.ts');",
      'const a = crypto.getRandomValues(new Uint8Array(32)), b = crypto.getRandomValues(new Uint8Array(32));',
      "console.log(JSON.stringify({ subtle: 'subtle' in crypto, keys: Object.keys(crypto), differ: a.some((x, i) => x !== b[i]) }));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', './host/register.mjs', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { subtle: false, keys: ['getRandomValues'], differ: true });
  });
});
