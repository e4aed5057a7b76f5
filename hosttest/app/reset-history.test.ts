// The persistent reset history behind safe mode (modules/therapy-control/reset-history.ts) on simulated
// flash: three resets within 48 h of operation latch, resets spread wider do not, the latch
// outlives reboots and power cuts, and only clearing opens it.
// @req SAF-08 (docs/traceability.md)
import assert from 'node:assert/strict';
import { OPERATING_TIME_STEP_MS, ResetHistory } from '../../modules/therapy-control/reset-history.js';
import type { ResetStatus } from '../../modules/therapy-control/reset-history.js';
import { PowerCut } from '../../host/sim/nor-flash.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { Device } from '../storage/fixture.js';

const HOUR = 3600 * 1000;

/** One boot: records its reset, keeps operating time for `uptimeMs`, then loses power. */
function boot(device: Device, uptimeMs = 0, then?: (h: ResetHistory) => void): ResetStatus {
  const clock = new VirtualClock(0);
  const history = new ResetHistory(device.boot().counters, clock);
  const status = history.recordReset();
  history.keepTime((error) => assert.fail(String(error)));
  then?.(history);
  clock.advance(uptimeMs);
  history.stop();
  return status;
}

describe('app: reset history and the safe-mode latch across reboots', () => {
  it('three resets within 48 h of operation latch safe mode; resets spread over more do not', () => {
    const spread = new Device();
    const statuses = [0, 1, 2, 3].map(() => boot(spread, 24.5 * HOUR));
    assert.deepEqual(statuses, [0, 1, 1, 1].map((prior) => ({ prior, latched: false })));

    const close = new Device();
    assert.deepEqual([1, 2, 3].map(() => boot(close, HOUR)), [
      { prior: 0, latched: false }, { prior: 1, latched: false }, { prior: 2, latched: true },
    ]);
  });

  it('the window is measured in saved operating time, which lags by at most one step per boot (never a missed reset)', () => {
    const device = new Device();
    boot(device, 47 * HOUR + OPERATING_TIME_STEP_MS - 1); // the last step not yet saved counts as not elapsed
    boot(device, 1000);
    assert.deepEqual(boot(device), { prior: 2, latched: true });
  });

  it('the latch outlives reboots and the window; only clear() opens it, and earlier resets then no longer count', () => {
    const device = new Device();
    [1, 2, 3].forEach(() => boot(device, 1000));
    assert.deepEqual(boot(device, 100 * HOUR), { prior: 2, latched: true });
    assert.deepEqual(boot(device, 1000), { prior: 0, latched: true }, 'long after the window: still latched');
    assert.deepEqual(boot(device, 1000, (h) => h.clear()), { prior: 1, latched: true });
    assert.deepEqual(boot(device, 1000), { prior: 0, latched: false }, 'resets before the clearing are out of the window');
    assert.deepEqual(boot(device, 1000), { prior: 1, latched: false });
    assert.deepEqual(boot(device, 1000), { prior: 2, latched: true }, 'three new resets latch again');
  });

  it('a power cut at any flash operation of a later boot keeps the latch and never lowers the reset count', () => {
    const device = new Device();
    [1, 2, 3].forEach(() => boot(device, 1000));
    for (let at = 1; ; at++) {
      const resetsBefore = device.boot().counters.get('resets');
      device.flash.armPowerCut({ at: device.flash.ops + at, torn: at % 2 === 0, seed: at });
      let cut = false;
      let clearing = false;
      try {
        boot(device, 1000, (h) => {
          clearing = true;
          h.clear();
        });
      } catch (error) {
        if (!(error instanceof PowerCut)) throw error;
        cut = true;
      }
      device.flash.armPowerCut(undefined);
      const storage = device.boot();
      const history = new ResetHistory(storage.counters, new VirtualClock(0));
      assert.ok(storage.counters.get('resets') >= resetsBefore, `cut at op ${at}: reset count went back`);
      if (!cut) {
        assert.equal(history.latched(), false, 'the clearing completed');
        break;
      }
      if (!clearing) assert.ok(history.latched(), `cut at op ${at} before the clearing: latch lost`);
      assert.ok(at < 200, 'the boot finishes within 200 flash operations');
    }
  });
});
