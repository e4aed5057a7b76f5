// Issue 12 item 5: first-boot keys are drawn before the radio starts, so the boot entropy
// source must be on before the first draw and off again before the radio (ESP32's rule). Shown
// through the assembled firmware's first boot on the device platform (entropy-boot.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Call { event: 'begin' | 'end' | 'fill'; bootSourceOn: boolean; radio: boolean }

function firstBoot(): { calls: Call[]; identityMade: boolean } {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', './host/register.mjs', 'hosttest/crypto/entropy-boot.ts'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

describe('entropy before the first key (first boot through the assembled firmware)', () => {
  const boot = firstBoot();
  const fills = boot.calls.filter((c) => c.event === 'fill');

  it('draws first-boot keys before the radio starts (the case to cover)', () => {
    assert.ok(boot.identityMade, 'the boot formatted storage and made the device identity');
    assert.ok(fills.length > 0 && !fills[0].radio, 'the first draw happens while the radio is still off');
  });

  it('turns the boot entropy source on before the first draw, and every draw has a true source', () => {
    assert.equal(boot.calls[0].event, 'begin');
    for (const fill of fills) assert.ok(fill.bootSourceOn || fill.radio, 'a draw with neither the boot source nor the radio on');
  });

  it('turns the boot source off before the radio starts, once', () => {
    const ends = boot.calls.filter((c) => c.event === 'end');
    assert.equal(ends.length, 1);
    assert.equal(ends[0].radio, false, 'the boot source was still on when the radio started');
    assert.equal(boot.calls.filter((c) => c.event === 'begin').length, 1);
  });
});
