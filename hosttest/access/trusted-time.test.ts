// The trusted-time ratchet (docs/access-control.md, "Time"): the persistent floor starts at the
// build time and rises only by the operating time the device counted itself, unless the
// manufacturer sets it with presence; no sequence of sets walks the clock or the floor away.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AccessStatus } from '../../modules/access/status.js';
import { BUILD_TIME, MAX_FORWARD_JUMP, TrustedTime } from '../../modules/access/trusted-time.js';
import { MemoryCounters } from '../../host/fixtures/access-fakes.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

const DAY = 86400;
const REFUSED = { ok: false, status: AccessStatus.TIME_REFUSED };

describe('access: trusted time', () => {
  it('starts the floor at the build time and lets it follow the operating time once a day, across reboots', () => {
    const clock = new VirtualClock(0);
    const counters = new MemoryCounters();
    let time = new TrustedTime(clock, counters);
    assert.equal(time.floor(), BUILD_TIME);
    assert.equal(counters.writes, 0, 'the seed is a constant: nothing written');
    clock.advance((DAY - 1) * 1000);
    assert.equal(time.floor(), BUILD_TIME);
    clock.advance(1000);
    assert.equal(time.floor(), BUILD_TIME + DAY, 'a day of operating time, vouched for by the device itself');
    clock.advance(DAY * 500);
    time = new TrustedTime(clock, counters);
    assert.equal(time.floor(), BUILD_TIME + DAY, 'operating time not yet written is lost at a reset: the safe direction');
    assert.equal(time.now(), undefined);
  });

  it('81 sets by a clinician move neither the floor nor the clock past what the device vouches for', () => {
    const clock = new VirtualClock(0);
    const counters = new MemoryCounters();
    const time = new TrustedTime(clock, counters);
    let accepted = 0;
    for (let i = 0; i < 81; i++) {
      if (time.set(BUILD_TIME + (i + 1) * MAX_FORWARD_JUMP).ok) accepted++;
      clock.advance(1000);
    }
    assert.equal(accepted, 1, 'the first set takes the clock a year ahead; every later one is refused');
    assert.ok((time.now() ?? 0) <= BUILD_TIME + 81 + MAX_FORWARD_JUMP);
    assert.ok(time.floor() <= BUILD_TIME + 81, `floor ${time.floor()}: only the 81 s of operating time`);
    assert.equal(new TrustedTime(clock, counters).floor(), time.floor(), 'and that is all that survives a reset');
  });

  it('raises the floor to a set time only as far as operating time covers, unless the manufacturer sets it with presence', () => {
    const clock = new VirtualClock(0);
    const counters = new MemoryCounters();
    const time = new TrustedTime(clock, counters);
    clock.advance(3600_000);
    assert.deepEqual(time.set(BUILD_TIME + 30 * DAY), { ok: true });
    assert.equal(time.now(), BUILD_TIME + 30 * DAY, 'the clock runs on the set time in RAM');
    assert.equal(time.floor(), BUILD_TIME + 3600, 'the floor: the hour the device ran');
    assert.deepEqual(time.set(BUILD_TIME + 29 * DAY), REFUSED, 'never backwards from the known time');
    assert.deepEqual(time.set(BUILD_TIME + 29 * DAY, { vouches: true }), { ok: true }, 'the manufacturer at the device may correct it');
    assert.equal(time.floor(), BUILD_TIME + 29 * DAY);
    assert.deepEqual(time.set(BUILD_TIME + 3600, { vouches: true }), REFUSED, 'but never below the floor');
    assert.deepEqual(time.set(time.floor() + MAX_FORWARD_JUMP + 1, { vouches: true }), REFUSED, 'and a year at a time');
  });

  it('never lets the floor pass the build time plus the operating time, whatever the clinicians set (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), seconds: fc.integer({ min: BUILD_TIME - DAY, max: BUILD_TIME + 3 * MAX_FORWARD_JUMP }) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3 * DAY * 1000 }) }),
      fc.constant({ kind: 'reboot' as const }),
    );
    fc.assert(fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      const clock = new VirtualClock(0);
      const counters = new MemoryCounters();
      let time = new TrustedTime(clock, counters);
      for (const s of steps) {
        if (s.kind === 'set') time.set(s.seconds);
        else if (s.kind === 'wait') clock.advance(s.ms);
        else time = new TrustedTime(clock, counters);
        const ran = Math.floor(clock.now() / 1000);
        assert.ok(time.floor() <= BUILD_TIME + ran, `floor ${time.floor() - BUILD_TIME} s past the build after ${ran} s`);
        const now = time.now();
        if (now !== undefined) assert.ok(now <= BUILD_TIME + ran + MAX_FORWARD_JUMP);
      }
    }), { seed: 12, numRuns: 300 });
  });
});
