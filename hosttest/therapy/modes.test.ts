// The spec's remaining modes (§3.5, Table 2): the R variants AAIR, VOOR, VDDR, DOOR and DDIR, and
// the temporary-only sensing modes OAO, OVO, ODO and OOO; the AT marker and the pace modifiers
// (§4.8, Table 5); the ERP rate decline and the marker stream at ERT and ERP (§4.4, Table 3).
import assert from 'node:assert/strict';
import type { Chamber, Marker, MarkerType } from '../../modules/therapy/markers.js';
import type { Mode } from '../../modules/therapy/modes.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { WorkerEvent } from '../../modules/therapy/protocol.js';
import { TherapyService } from '../../modules/therapy/service.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { engineBench, gaps } from './engine-bench.js';

function therapyBench() {
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const therapy = new Therapy(clock, { pace: () => {}, marker: (t, type) => markers.push({ t, type }) });
  const times = (type: MarkerType, from = 0, to = Infinity) => markers.filter((m) => m.type === type && m.t >= from && m.t <= to).map((m) => m.t);
  const sense = (chamber: Chamber, at: number) => clock.setTimeout(() => therapy.sense(chamber), at - clock.now());
  return { clock, markers, therapy, times, sense };
}

const program = (t: Therapy, target: 'permanent' | 'temporary', changes: Partial<PacingParameters>) => {
  const r = t.program(target, changes);
  assert.ok(r.ok, JSON.stringify(r));
};

describe('the rate-adaptive modes AAIR, VOOR, VDDR, DOOR, DDIR (§3.5, §5.7)', () => {
  const paced: Record<string, MarkerType[]> = { AAIR: ['AP'], VOOR: ['VP'], VDDR: ['VP'], DOOR: ['AP', 'VP'], DDIR: ['AP', 'VP'] };
  for (const mode of ['AAIR', 'VOOR', 'VDDR', 'DOOR', 'DDIR'] as const) {
    it(`${mode} paces at the lower rate at rest and at the MSR in exercise`, () => {
      const b = therapyBench();
      program(b.therapy, 'permanent', { mode, lrl: 60, msr: 120, url: 120 });
      b.clock.advance(20000);
      b.therapy.setActivity(8);
      b.clock.advance(60000);
      for (const type of paced[mode]) {
        assert.deepEqual([...new Set(gaps(b.times(type, 5000, 20000)))], [1000], `${mode} ${type} at rest`);
        assert.deepEqual([...new Set(gaps(b.times(type, 60000, 80000)))], [500], `${mode} ${type} in exercise`);
      }
    });
  }

  it('AAIR is inhibited by atrial senses, VDDR tracks them, DDIR does not track', () => {
    const run = (mode: Mode) => {
      const b = therapyBench();
      program(b.therapy, 'permanent', { mode, lrl: 60 });
      for (let t = 5000; t < 15000; t += 800) b.sense('A', t);
      b.clock.advance(15000);
      return b;
    };
    assert.equal(run('AAIR').times('AP', 5500, 15000).length, 0);
    const vddr = run('VDDR');
    const as = vddr.times('AS', 6500, 15000);
    assert.ok(as.length > 10 && as.every((t) => vddr.times('VP', t + 150, t + 150).length === 1), 'VDDR: a VP 150 ms after every AS');
    const ddir = run('DDIR');
    const ddirAs = ddir.times('AS', 6500, 15000);
    assert.ok(ddirAs.length > 5 && ddirAs.every((t) => ddir.times('VP', t + 150, t + 150).length === 0), 'DDIR: no tracking');
  });
});

describe('the temporary-only modes OAO, OVO, ODO, OOO (§3.5)', () => {
  for (const mode of ['OAO', 'OVO', 'ODO', 'OOO'] as const) {
    it(`${mode}: refused as a permanent mode, runs as a temporary one, senses without pacing`, () => {
      const b = therapyBench();
      const refused = b.therapy.program('permanent', { mode });
      assert.ok(!refused.ok && refused.error.code === 'state' && refused.error.parameter === 'mode');
      program(b.therapy, 'temporary', { mode });
      b.clock.advance(2000);
      for (let t = 3000; t < 8000; t += 700) { b.sense('A', t); b.sense('V', t + 150); }
      b.clock.advance(10000);
      const after = b.markers.filter((m) => m.t > 2000);
      assert.equal(after.filter((m) => m.type === 'AP' || m.type === 'VP').length, 0);
      const sensed = new Set(after.map((m) => m.type));
      assert.equal(sensed.has('AS'), mode === 'OAO' || mode === 'ODO');
      assert.equal(sensed.has('VS') || sensed.has('PVC'), mode === 'OVO' || mode === 'ODO');
      b.therapy.setMagnet(true);
      assert.equal(b.therapy.interrogate().engine.effectiveMode, 'OOO');
    });
  }
});

describe('markers (§4.8, Table 5)', () => {
  it('an atrial sense faster than the URL is marked AT, a slower one AS', () => {
    const b = engineBench({ mode: 'DDD', lrl: 60, url: 120 });
    for (let t = 2000; t < 6000; t += 900) b.at(t, () => b.engine.sense('A'));
    for (let t = 6100; t < 10000; t += 400) b.at(t, () => b.engine.sense('A'));
    b.run(10000);
    assert.ok(b.times(['AS'], 2000, 6000).length >= 3 && b.times(['AT'], 2000, 6000).length === 0);
    assert.ok(b.times(['AT'], 6500, 10000).length >= 2 && b.times(['AS'], 6500, 10000).length === 0);
  });

  const modifierAfter = (markers: Marker[], pace: MarkerType): MarkerType[] =>
    markers.flatMap((m, i) => (m.type === pace && markers[i + 1]?.t === m.t && ['-Hy', '-Sr', '↑', '↓'].includes(markers[i + 1].type) ? [markers[i + 1].type] : []));

  it('-Hy marks a pace at the hysteresis interval, -Sr one at the sensor rate', () => {
    const hy = engineBench({ mode: 'VVI', lrl: 60, hysteresis: 50 });
    hy.train('V', 1000, 5000, 900);
    hy.run(10000);
    assert.deepEqual(modifierAfter(hy.markers, 'VP'), ['-Hy']);
    const sr = engineBench({ mode: 'VVIR', lrl: 60, msr: 120 });
    sr.engine.setActivity(8);
    sr.run(60000);
    assert.ok(modifierAfter(sr.markers, 'VP').filter((m) => m === '-Sr').length > 50);
  });

  it('↓ marks an escape held short by rate smoothing, ↑ a tracked pace held back by it', () => {
    const down = engineBench({ mode: 'VVI', lrl: 60, rateSmoothingDown: 6 });
    down.train('V', 1000, 5000, 600);
    down.run(10000);
    assert.ok(modifierAfter(down.markers, 'VP').filter((m) => m === '↓').length >= 3);
    const up = engineBench({ mode: 'DDD', lrl: 60, url: 150, rateSmoothingUp: 6 });
    for (let t = 1000; t < 20000; t += 600) up.at(t, () => up.engine.sense('A'));
    up.run(20000);
    assert.ok(modifierAfter(up.markers, 'VP').includes('↑'));
  });
});

describe('battery status (§4.4, Table 3)', () => {
  it('at ERP the pacing rate declines gradually, by 10 % of the LRL over 10 minutes; not at ERT', () => {
    const run = (level: 'ERT' | 'ERP') => {
      const b = engineBench({ mode: 'VVI', lrl: 60 });
      b.at(10000, () => b.engine.setBattery(level));
      b.run(15 * 60000);
      return gaps(b.times(['VP']));
    };
    assert.deepEqual([...new Set(run('ERT'))], [1000]);
    const erp = run('ERP');
    for (let i = 1; i < erp.length; i++) assert.ok(erp[i] >= erp[i - 1] && erp[i] - erp[i - 1] <= 1, `interval ${erp[i - 1]} then ${erp[i]}`);
    assert.equal(erp.at(-1), Math.round(60000 / 54));
  });

  it('markers stop streaming at ERT and ERP, and resume when the battery is replaced in simulation', () => {
    const clock = new VirtualClock(0);
    const streamed: number[] = [];
    const service = new TherapyService(clock, { pace: () => {} }, (m) => {
      if ('ev' in m && (m as WorkerEvent).ev === 'markers') streamed.push(clock.now());
    });
    clock.advance(5000);
    assert.ok(streamed.length > 0);
    service.handle({ id: 1, op: 'battery', level: 'ERT' });
    const atErt = streamed.length;
    clock.advance(10000);
    assert.equal(streamed.length, atErt, 'markers streamed at ERT');
    service.handle({ id: 2, op: 'battery', level: 'ERN' });
    clock.advance(5000);
    assert.ok(streamed.length > atErt);
    service.stop();
  });
});
