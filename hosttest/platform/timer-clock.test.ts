import * as assert from 'node:assert/strict';
import { TimerClock } from '../../modules/platform/timer-clock.js';
import { virtualHost } from '../../host/shims/host-control.js';

const DAY = 24 * 3600 * 1000;

describe('TimerClock (Clock over Moddable Timer and Time.ticks)', () => {
  it('runs callbacks after their delay, never early, and cancels them', () => {
    const virtual = virtualHost();
    const clock = new TimerClock();
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), 10);
    clock.setTimeout(() => at.push(clock.now()), 2.2);
    const cancelled = clock.setTimeout(() => at.push(-1), 5);
    clock.clearTimeout(cancelled);
    clock.clearTimeout(undefined);
    virtual.advance(20);
    assert.deepEqual(at, [3, 10]);
  });

  it('refuses delays a Timer cannot hold', () => {
    virtualHost();
    const clock = new TimerClock();
    assert.throws(() => clock.setTimeout(() => {}, 2 ** 31), RangeError);
    assert.throws(() => clock.setTimeout(() => {}, NaN), RangeError);
  });

  it('stays monotonic and exact across many 32-bit tick wraps, even when nobody asks for the time', () => {
    const virtual = virtualHost('esp32', 2 ** 31 - 1000);
    const clock = new TimerClock();
    const start = clock.now();
    virtual.advance(200 * DAY); // over eight wraps of Time.ticks; only the clock's own sampler runs
    assert.equal(clock.now() - start, 200 * DAY);
    virtual.advance(1500);
    assert.equal(clock.now() - start, 200 * DAY + 1500);
  });
});
