// The XS runner itself: it must report each failure with the test's name, the XS error and the
// source line, exit non-zero, and say how to build the engine when it is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function runner(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['hosttest/xs/run-portable.mjs', ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ...env },
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('XS runner (hosttest/xs/run-portable.mjs)', () => {
  it('runs sync, async and done tests with mocha hook order and reports failures with the XS error', () => {
    const { status, out } = runner(['hosttest/xs/fixtures/harness-fixture.ts'], { IMPLANT_FIXTURE_ENV: 'seen' });
    assert.equal(status, 1);
    assert.match(out, /\n5 passed, 3 failed\n$/);
    assert.match(out, /FAIL {2}harness reports a failed assertion\n\s+AssertionError: arithmetic: expected 5, got 4\n[^]*\(hosttest\/xs\/fixtures\/harness-fixture\.ts:\d+\)/);
    assert.match(out, /FAIL {2}harness reports a thrown error\n\s+TypeError: /);
    assert.match(out, /FAIL {2}harness reports a rejected promise\n\s+RangeError: late failure/);
    assert.match(out, /ok {4}harness nested runs after the outer tests/);
    assert.match(out, /order before(,beforeEach,afterEach){7},beforeEach,inner,afterEach\n/);
  });

  it('stops a file whose test never ends and fails it', () => {
    const { status, out } = runner(['hosttest/xs/fixtures/hang-fixture.ts'], { IMPLANT_XS_FILE_TIMEOUT_S: '1' });
    assert.equal(status, 1);
    assert.match(out, /FAIL {2}stopped after 1 s[^]*\n0 passed, 1 failed\n$/);
  });

  it('fails with build instructions when the engine is missing', () => {
    const { status, out } = runner(['hosttest/xs/fixtures/harness-fixture.ts'], { IMPLANT_XSNAP_WORKER: '/nonexistent/xsnap-worker' });
    assert.equal(status, 2);
    assert.match(out, /XS engine not built[^]*npm rebuild @agoric\/xsnap/);
  });
});
