import * as assert from 'node:assert/strict';
import Time from 'time';
import Timer from 'timer';
import type { VirtualClock } from '../../host/sim/virtual-clock.js';
import { resetHost, useRealTime, virtualHost } from '../../host/shims/host-control.js';

describe('timer shim (Moddable "timer")', () => {
  let clock: VirtualClock;
  beforeEach(() => (clock = virtualHost()));

  it('set(cb) fires on the next turn, with the timer as argument and this === globalThis', () => {
    const calls: unknown[] = [];
    const timer = Timer.set(function (this: unknown, t) {
      calls.push(this, t);
    });
    assert.equal(calls.length, 0, 'not synchronously');
    clock.advance(0);
    assert.deepEqual(calls, [globalThis, timer]);
  });

  it('a one-shot fires once and is then dead: clear ignores it, schedule throws', () => {
    const at: number[] = [];
    const timer = Timer.set(() => at.push(clock.now()), 10);
    clock.advance(9);
    assert.deepEqual(at, []);
    clock.advance(100);
    assert.deepEqual(at, [10]);
    Timer.clear(timer);
    assert.throws(() => Timer.schedule(timer, 5), SyntaxError);
  });

  it('set(cb, ms, repeat) and repeat(cb, ms) fire until cleared', () => {
    const at: number[] = [];
    const timer = Timer.set(() => at.push(clock.now()), 10, 5);
    clock.advance(21);
    Timer.clear(timer);
    clock.advance(50);
    assert.deepEqual(at, [10, 15, 20]);
    const every: number[] = [];
    const base = clock.now();
    const r = Timer.repeat((t) => (every.push(clock.now() - base), every.length === 3 && Timer.clear(t)), 7);
    clock.advance(100);
    assert.deepEqual(every, [7, 14, 21]);
    assert.throws(() => Timer.schedule(r), SyntaxError, 'a cleared timer is dead');
  });

  it('clear accepts null, undefined and non-timers', () => {
    Timer.clear(null);
    Timer.clear(undefined);
    Timer.clear({} as Timer);
    assert.throws(() => Timer.schedule({} as Timer, 1), SyntaxError);
  });

  it('repeats do not drift: a late turn catches up at the original cadence', () => {
    const at: number[] = [];
    Timer.repeat(() => {
      at.push(clock.now());
      if (at.length === 1) Timer.delay(25); // blocks: time moves, nothing runs
    }, 10);
    clock.runUntil(40);
    assert.deepEqual(at, [10, 35, 35, 40]);
  });

  it('delay blocks: no other callback runs during it', () => {
    const log: string[] = [];
    Timer.set(() => log.push('other'), 5);
    Timer.set(() => {
      Timer.delay(10);
      log.push(`after delay at ${clock.now()}`);
    }, 0);
    clock.runUntil(20);
    assert.deepEqual(log, ['after delay at 10', 'other']);
  });

  it('schedule(t, ms, repeat) re-arms; schedule(t) unschedules and keeps the timer', () => {
    const at: number[] = [];
    const timer = Timer.set(() => at.push(clock.now()), 10, 10);
    Timer.schedule(timer);
    clock.advance(50);
    assert.deepEqual(at, [], 'unscheduled');
    Timer.schedule(timer, 5, 20);
    clock.advance(30);
    assert.deepEqual(at, [55, 75]);
  });

  it('a one-shot rescheduled in its callback without a repeat is still removed (modTimer rule)', () => {
    let fired = 0;
    Timer.set((t) => {
      fired++;
      Timer.schedule(t, 5);
    }, 1);
    clock.advance(100);
    assert.equal(fired, 1);
    let kept = 0;
    Timer.set((t) => {
      if (++kept === 1) Timer.schedule(t, 5, 50);
    }, 1);
    clock.advance(10);
    assert.equal(kept, 2, 'with a repeat it survives and fires again at +5');
  });

  it('intervals convert like xsmcToInteger: undefined and NaN are 0, negatives fire on the next turn', () => {
    const at: number[] = [];
    clock.advance(3);
    Timer.set(() => at.push(clock.now()), NaN);
    Timer.set(() => at.push(clock.now()), -50);
    clock.advance(0);
    assert.deepEqual(at, [3, 3]);
  });

  it('an exception in a callback propagates and the timer state stays consistent', () => {
    const timer = Timer.set(() => {
      throw new Error('boom');
    }, 1);
    assert.throws(() => clock.advance(1), /boom/);
    assert.throws(() => Timer.schedule(timer, 1), SyntaxError, 'the one-shot was still removed');
  });

  it('refuses to run without a selected clock', () => {
    resetHost();
    assert.throws(() => Timer.set(() => {}, 1), /no clock selected/);
    assert.throws(() => Time.ticks, /no clock selected/);
  });
});

describe('time shim (Moddable "time")', () => {
  it('ticks follow the selected clock in whole milliseconds', () => {
    const clock = virtualHost('esp32', 1000);
    assert.equal(Time.ticks, 1000);
    clock.advance(2.5);
    assert.equal(Time.ticks, 1002);
  });

  it('ticks wrap as a signed 32-bit count and delta stays right across the wrap', () => {
    const clock = virtualHost('esp32', 2 ** 31 - 10);
    const start = Time.ticks;
    clock.advance(25);
    assert.equal(Time.ticks, -(2 ** 31) + 15);
    assert.equal(Time.delta(start), 25);
    assert.equal(Time.delta(start, Time.ticks), 25);
    assert.equal(Time.delta(Time.ticks, start), -25);
  });
});

describe('timer shim on real time (what `implant run` uses)', () => {
  before(() => {
    resetHost();
    useRealTime();
  });
  after(resetHost);

  it('fires a timer through Node timers and delay blocks for at least the delay', async () => {
    const start = Time.ticks;
    await new Promise<void>((resolve) => Timer.set(() => resolve(), 5));
    assert.ok(Time.delta(start) >= 5);
    const before = Time.ticks;
    Timer.delay(20);
    assert.ok(Time.delta(before) >= 19, 'Atomics.wait blocked the thread');
  });
});
