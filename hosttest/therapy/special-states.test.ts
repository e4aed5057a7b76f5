// Magnet, noise reversion, power-on reset, exceptions, integrity failures, the safe-mode latch,
// Pace-Now, temporary parameters, atomic parameter changes and battery limits.
import assert from 'node:assert/strict';
import type { Chamber, Marker } from '../../modules/therapy/markers.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import type { TherapyOptions } from '../../modules/therapy/therapy.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { checkTrace } from '../../host/heart/checker.js';
import { loadScenario, runClosedLoop } from '../../host/heart/closed-loop.js';

/** A therapy on a virtual clock with no heart attached (no senses: the lead-off case). */
function bench(options: TherapyOptions = {}) {
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const paces: { t: number; chamber: Chamber; amplitude: number; width: number }[] = [];
  let failNextPace = false;
  const therapy = new Therapy(clock, {
    pace: (chamber, amplitude, width) => {
      if (failNextPace) {
        failNextPace = false;
        throw new Error('pace driver fault');
      }
      paces.push({ t: clock.now(), chamber, amplitude, width });
    },
    marker: (t, type) => markers.push({ t, type }),
  }, options);
  return {
    clock, markers, paces, therapy,
    failNextPace: () => { failNextPace = true; },
    times: (type: string, from = 0) => markers.filter((m) => m.type === type && m.t >= from).map((m) => m.t),
  };
}

const diffs = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]);
const program = (t: Therapy, changes: Partial<PacingParameters>, target: 'permanent' | 'temporary' = 'permanent') => {
  const r = t.program(target, changes);
  assert.ok(r.ok, JSON.stringify(r));
};

describe('therapy special states: power-on reset, exceptions, integrity, safe mode', () => {
  it('boots in POR (VVI 65, 5.0 V, 0.5 ms) and paces within LRI + 1 s', () => {
    const b = bench();
    b.clock.advance(5000);
    assert.equal(b.therapy.interrogate().state, 'por');
    assert.equal(b.markers[0].type, 'POR');
    assert.ok(b.paces[0].t <= 923 + 1000);
    assert.deepEqual(diffs(b.times('VP')), [923, 923, 923, 923]);
    assert.deepEqual([b.paces[0].chamber, b.paces[0].amplitude, b.paces[0].width], ['V', 5000, 500]);
  });

  it('an exception restarts therapy in POR with the first pace within LRI + 1 s, and is logged', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI', lrl: 40 });
    b.clock.advance(4000);
    b.failNextPace();
    b.clock.advance(4000);
    const por = b.markers.filter((m) => m.type === 'POR');
    assert.equal(por.length, 2);
    const next = b.times('VP', por[1].t)[0];
    assert.ok(next - por[1].t <= 923 + 1000, `first pace ${next - por[1].t} ms after the fault`);
    const i = b.therapy.interrogate();
    assert.equal(i.state, 'por');
    assert.match(i.resets[1].reason, /pace driver fault/);
  });

  it('corrupted active parameters are caught at the next boundary (integrity) and POR takes over', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI', lrl: 50 });
    b.clock.advance(3000);
    // Flip a value inside the running engine, as a RAM fault would.
    const engine = (b.therapy as unknown as { engine: { active: PacingParameters } }).engine;
    engine.active.lrl = 175;
    b.clock.advance(3000);
    const i = b.therapy.interrogate();
    assert.equal(i.state, 'por');
    assert.match(i.resets.at(-1)!.reason, /integrity/);
    assert.ok(Math.min(...diffs(b.times('VP'))) >= 923 - 1, 'the corrupted rate was never paced');
  });

  it('stored parameters failing their checksum are refused and POR continues', () => {
    const b = bench();
    const r = b.therapy.restore({ ...NOMINAL }, 12345);
    assert.ok(!r.ok && r.error.code === 'integrity');
    assert.equal(b.therapy.interrogate().state, 'por');
  });

  it('three resets in the window latch safe mode; programming is refused until a clinician clears it', () => {
    const b = bench();
    for (let i = 0; i < 2; i++) {
      b.clock.advance(2000);
      b.failNextPace();
      b.clock.advance(1000);
    }
    assert.equal(b.therapy.interrogate().state, 'safe');
    assert.equal(b.times('SAFE').length, 1);
    const refused = b.therapy.program('permanent', { mode: 'DDD' });
    assert.ok(!refused.ok && refused.error.code === 'safe-mode');
    assert.ok(!b.therapy.paceNow().ok);
    const t = b.clock.now();
    b.clock.advance(5000);
    assert.ok(b.times('VP', t).length >= 5, 'safe mode keeps pacing VVI 65');
    assert.ok(b.therapy.clearSafeMode().ok);
    program(b.therapy, { mode: 'VVI', lrl: 70 });
    assert.equal(b.therapy.interrogate().state, 'permanent');
  });

  it('resets counted before this boot by the main side count toward the latch', () => {
    const two = bench();
    assert.ok(two.therapy.resetHistory(2, false).ok);
    assert.equal(two.therapy.interrogate().state, 'safe');
    const one = bench();
    assert.ok(one.therapy.resetHistory(1, false).ok);
    assert.equal(one.therapy.interrogate().state, 'por');
  });

  it('a reset history arriving after pacing started latches safe mode without delaying a pace; it holds past the window until cleared', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI', lrl: 50 });
    b.clock.advance(1500);
    assert.ok(b.therapy.resetHistory(2, false).ok);
    assert.equal(b.therapy.interrogate().state, 'safe');
    assert.deepEqual(b.times('SAFE'), [1500]);
    b.clock.advance(10_000);
    assert.deepEqual(diffs(b.times('VP')).slice(-3), [923, 923, 923], 'VVI 50 gave way to the POR values at the next boundary');
    const refused = b.therapy.restore({ ...NOMINAL }, 0);
    assert.ok(!refused.ok && refused.error.code === 'safe-mode');
    // 49 hours later the resets that set the latch are out of the window; a new reset must not open it.
    b.clock.advance(49 * 3600 * 1000);
    b.failNextPace();
    b.clock.advance(2000);
    assert.equal(b.therapy.interrogate().resets.length, 2);
    assert.equal(b.therapy.interrogate().state, 'safe', 'only a clinician opens the latch');
    assert.ok(b.therapy.clearSafeMode().ok);
    assert.equal(b.therapy.interrogate().state, 'por');
  });
});

describe('therapy special states: Pace-Now, temporary, atomic changes, battery', () => {
  it('Pace-Now paces VVI 65 at 5.0 V / 1.0 ms within two cycles + 500 ms, until the mode is reprogrammed', () => {
    const b = bench();
    program(b.therapy, { mode: 'DDD', lrl: 30, url: 50, msr: 50, pvarp: 150, avDelay: 70 });
    b.clock.advance(10_000);
    const t = b.clock.now();
    assert.ok(b.therapy.paceNow().ok);
    b.clock.advance(10_000);
    const first = b.paces.find((p) => p.t >= t && p.chamber === 'V')!;
    assert.ok(first.t - t <= 2 * 2000 + 500);
    assert.deepEqual([first.amplitude, first.width], [5000, 1000]);
    assert.equal(b.therapy.interrogate().state, 'pace-now');
    assert.deepEqual(diffs(b.times('VP', first.t)).slice(-3), [923, 923, 923]);
    assert.equal(b.paces.filter((p) => p.t > first.t && p.chamber === 'A').length, 0);
    program(b.therapy, { mode: 'VVI' });
    assert.equal(b.therapy.interrogate().state, 'permanent');
  });

  it('temporary parameters apply at a boundary and revert to the permanent set when the session ends', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI', lrl: 60 });
    b.clock.advance(5000);
    program(b.therapy, { lrl: 100 }, 'temporary');
    assert.equal(b.therapy.interrogate().state, 'temporary');
    b.clock.advance(5000);
    assert.deepEqual(diffs(b.times('VP')).slice(-3), [600, 600, 600]);
    b.therapy.sessionEnded();
    b.clock.advance(5000);
    assert.deepEqual(diffs(b.times('VP')).slice(-3), [1000, 1000, 1000]);
    const i = b.therapy.interrogate();
    assert.deepEqual([i.state, i.temporary, i.permanent.lrl], ['permanent', null, 60]);
  });

  it('a parameter set applies atomically at the next cycle boundary: no cycle mixes old and new values', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI', lrl: 60 });
    b.clock.advance(2500);
    const before = b.times('VP').at(-1)!;
    b.clock.advance(300); // mid-cycle
    program(b.therapy, { lrl: 100 });
    b.clock.advance(4000);
    const vp = b.times('VP');
    const prm = b.times('PRM').at(-1)!;
    assert.equal(prm, before + 1000, 'applied at the V event that ended the running cycle');
    assert.deepEqual(diffs(vp.filter((t) => t >= before)).slice(0, 3), [1000, 600, 600]);
  });

  it('from Off, a new set applies at once and paces one escape interval later', () => {
    const b = bench();
    program(b.therapy, { mode: 'Off' });
    b.clock.advance(5000);
    const off = b.times('VP').length;
    b.clock.advance(5000);
    assert.equal(b.times('VP').length, off, 'Off paces nothing');
    const t = b.clock.now();
    program(b.therapy, { mode: 'VVI', lrl: 60 });
    assert.equal(b.times('PRM').at(-1), t);
    b.clock.advance(3500);
    assert.deepEqual(b.times('VP', t), [t + 1000, t + 2000, t + 3000]);
    const r = checkTrace(b.markers, { programs: [{ ...NOMINAL, mode: 'Off' }, { ...NOMINAL, mode: 'VVI' }], endMs: b.clock.now(), toleranceMs: 1, inputs: [] });
    assert.equal(r.verdict, 'pass', JSON.stringify(r.violations));
  });

  it('a rejected change alters nothing and names the parameter', () => {
    const b = bench();
    program(b.therapy, { mode: 'DDD' });
    const before = b.therapy.interrogate();
    const markers = b.markers.length;
    const r = b.therapy.program('permanent', { lrl: 65, url: 65 });
    assert.ok(!r.ok && r.error.parameter === 'url' && r.error.code === 'conflict');
    assert.deepEqual(b.therapy.interrogate().permanent, before.permanent);
    assert.equal(b.markers.length, markers);
  });

  it('ERT allows only single-chamber non-rate-adaptive modes, drops dual modes to VVI, and disables temporary programming', () => {
    const b = bench();
    program(b.therapy, { mode: 'DDDR' });
    b.therapy.setBattery('ERT');
    assert.equal(b.therapy.interrogate().permanent.mode, 'VVI');
    const dual = b.therapy.program('permanent', { mode: 'DDD' });
    assert.ok(!dual.ok && dual.error.code === 'battery' && dual.error.parameter === 'mode');
    const temp = b.therapy.program('temporary', { lrl: 70 });
    assert.ok(!temp.ok && temp.error.code === 'battery');
    program(b.therapy, { mode: 'AAI' });
  });
});

describe('therapy special states: magnet and noise', () => {
  it('magnet: asynchronous at 100 / 90 / 85 ppm by battery within one cycle, exact prior state on removal', () => {
    for (const [battery, interval] of [['BOL', 600], ['ERN', 667], ['ERT', 706]] as const) {
      const b = bench();
      program(b.therapy, { mode: 'VVI', lrl: 50, hysteresis: 40 });
      if (battery !== 'BOL') b.therapy.setBattery(battery);
      const before = b.therapy.interrogate();
      b.clock.advance(3000);
      const on = b.clock.now();
      b.therapy.setMagnet(true);
      b.clock.advance(5000);
      const magOn = b.times('MAG-ON')[0];
      assert.ok(magOn - on <= 1200, `${battery}: magnet response after ${magOn - on} ms`);
      assert.deepEqual(diffs(b.times('VP', magOn)).slice(0, 4), [interval, interval, interval, interval], battery);
      assert.equal(b.therapy.interrogate().engine.effectiveMode, 'VOO');
      b.therapy.setMagnet(false);
      b.clock.advance(3000);
      const after = b.therapy.interrogate();
      assert.deepEqual([after.permanent, after.state, after.engine.effectiveMode], [before.permanent, before.state, 'VVI']);
      assert.deepEqual(diffs(b.times('VP', b.times('MAG-OFF')[0])).slice(0, 1), [1200]);
    }
  });

  it('magnet response programmed Off has no effect', () => {
    const scenario = loadScenario('magnet');
    const r = runClosedLoop({ scenario, mode: 'DDD', set: { magnetResponse: false }, minutes: 10, seed: 4 });
    assert.equal(r.verdict, 'pass');
    assert.equal(r.markers.filter((m) => m.type.startsWith('MAG')).length, 0);
  });

  it('noise: asynchronous pacing at the lower rate during a burst, normal sensing within one cycle after', () => {
    const r = runClosedLoop({ scenario: loadScenario('noise-bursts'), mode: 'VVI', minutes: 2, seed: 5 });
    assert.equal(r.verdict, 'pass');
    const inBurst = r.markers.filter((m) => m.t >= 15_200 && m.t < 18_000);
    const vp = inBurst.filter((m) => m.type === 'VP').map((m) => m.t);
    assert.ok(vp.length >= 2 && diffs(vp).every((d) => d === 1000), `VP during noise: ${vp}`);
    assert.ok(inBurst.filter((m) => m.type === 'VN').length > 50);
    const firstSenseAfter = r.markers.find((m) => m.t >= 18_000 && (m.type === 'VS' || m.type === 'VR' || m.type === 'VN'))!;
    assert.equal(firstSenseAfter.type, 'VS');
    assert.ok(firstSenseAfter.t - 18_000 <= 1000);
  });

  it('the checker judges these hand-built runs too (a lead-off VVI trace passes)', () => {
    const b = bench();
    program(b.therapy, { mode: 'VVI' });
    b.clock.advance(60_000);
    const r = checkTrace(b.markers, { programs: [{ ...NOMINAL, mode: 'VVI' }], endMs: 60_000, toleranceMs: 1, inputs: [] });
    assert.equal(r.verdict, 'pass', JSON.stringify(r.violations.slice(0, 3)));
  });
});
