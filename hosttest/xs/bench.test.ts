// The benchmark's central claim: computrons and live heap slots are deterministic, so a row in
// bench/results.json means the same thing on every machine and run.
import assert from 'node:assert/strict';
import { bundleCaseFile, DEVICE_WINDOW, measureXS } from '../../bench/run.mjs';

describe('bench harness (bench/run.mjs)', function () {
  this.timeout(180_000); // four fresh engines with timed loops; slow on a loaded CI machine
  it('measures the same computrons and heap slots in two fresh engines, blinded curve work included', async () => {
    const script = await bundleCaseFile('crypto.ts', DEVICE_WINDOW);
    for (const name of ['hkdf_sha256.64B', 'x25519.shared']) {
      const [a, b] = [await measureXS(script, name), await measureXS(script, name)];
      assert.ok(a.computrons > 100_000, `${name} costs something`);
      assert.deepEqual([b.computrons, b.firstCall, b.slots], [a.computrons, a.firstCall, a.slots], name);
    }
  });

  it('counts the tables a first call builds in the live slots', async () => {
    const withTables = await measureXS(await bundleCaseFile('crypto.ts', 6), 'x25519.shared');
    const without = await measureXS(await bundleCaseFile('crypto.ts', 1), 'x25519.shared');
    assert.ok(withTables.slots - without.slots > 10_000, `window 6 keeps ${withTables.slots} slots, window 1 ${without.slots}`);
    assert.equal(withTables.computrons, without.computrons, 'the ladder itself uses no table');
  });
});
