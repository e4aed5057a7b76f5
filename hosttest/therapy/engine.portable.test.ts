// The therapy core in the real XS engine as on Node: closed-loop runs judged by the checker, the
// message protocol's validation, and the runaway cap. (The full scenario matrix runs on Node.)
// @req SAF-04 (docs/traceability.md)
import { deepEqual, equal, ok } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import type { Marker } from '../../modules/therapy/markers.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { Mode } from '../../modules/therapy/modes.js';
import { isProtocolError, parseRequest } from '../../modules/therapy/protocol.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { applyChanges } from '../../modules/therapy/validate.js';
import { checkTrace } from '../../host/heart/checker.js';
import { VirtualHeart } from '../../host/heart/heart.js';
import { parseScenario } from '../../host/heart/scenario.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { engineBench, gaps } from './engine-bench.js';

function loop(name: string, mode: Mode, minutes: number) {
  const scenario = parseScenario(JSON.parse(testHost().readText(`host/heart/scenarios/${name}.json`)));
  const checked = applyChanges(NOMINAL, { ...scenario.params, mode });
  if (!checked.ok) throw new Error(checked.error.message);
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const heart = new VirtualHeart(scenario, clock, 3);
  const therapy = new Therapy(clock, { pace: (c) => heart.pace(c), marker: (t, type) => markers.push({ t, type }) });
  ok(therapy.program('permanent', checked.params).ok);
  heart.start((c) => therapy.sense(c));
  clock.runUntil(minutes * 60000);
  return { markers, verdict: checkTrace(markers, { programs: [checked.params], endMs: minutes * 60000, toleranceMs: 1, inputs: scenario.events }) };
}

describe('therapy core (portable)', () => {
  for (const [name, mode] of [['normal-sinus', 'DDD'], ['complete-av-block', 'VVI'], ['pvc-retrograde', 'DDD'], ['atrial-flutter', 'DDD']] as const) {
    it(`${name} in ${mode}: 2 simulated minutes pass every property`, () => {
      const r = loop(name, mode, 2);
      deepEqual(r.verdict.violations, [], `${name} ${mode}`);
      ok(r.markers.length > 100);
      testHost().log(`${name} ${mode}: ${r.markers.length} markers on ${testHost().engine}`);
    });
  }

  it('the protocol rejects malformed messages and accepts well-formed ones', () => {
    for (const bad of [null, 1, 'x', [], { id: -1, op: 'interrogate' }, { id: 1 }, { id: 1, op: 'nope' }, { id: 1, op: 'interrogate', extra: 1 },
      { id: 1, op: 'program', target: 'permanent', changes: [] }, { id: 1, op: 'activity', level: 9 }, { id: 1, op: 'battery', level: 'EOL' }]) {
      ok(isProtocolError(parseRequest(bad)), JSON.stringify(bad));
    }
    const good = parseRequest({ id: 7, op: 'program', target: 'temporary', changes: { lrl: 70 } });
    ok(!isProtocolError(good));
    equal(good.op, 'program');
  });

  it('no pace in either chamber ever comes within 293 ms (205 ppm) of the previous one', () => {
    const r = loop('noise-bursts', 'VVT', 2);
    for (const chamber of ['AP', 'VP']) {
      const t = r.markers.filter((m) => m.type === chamber).map((m) => m.t);
      for (let i = 1; i < t.length; i++) ok(t[i] - t[i - 1] >= 293, `${chamber} at ${t[i]}`);
    }
  });

  it('noise on the ventricular lead never inhibits DDD pacing, and crosstalk gets a safety pace', () => {
    for (const every of [20, 65, 100, 150, 200, 250]) {
      const b = engineBench({ mode: 'DDD', lrl: 60 });
      b.train('V', 5000, 25000, every);
      b.run(26000);
      const vp = b.times(['VP'], 6000, 25000);
      ok(vp.length >= 18 && Math.max(...gaps(vp)) <= 1001, `noise every ${every} ms: ${vp.length} paces`);
      equal(b.times(['VS', 'PVC'], 5000 + 2 * every + 1, 25000).length, 0, `noise every ${every} ms credited`);
    }
    const x = engineBench({ mode: 'DDD', lrl: 60 });
    x.onPace((chamber, t) => { if (chamber === 'A') x.at(t + 60, () => x.engine.sense('V')); });
    x.run(20000);
    ok(x.times(['VP']).length >= 19 && x.times(['VSP']).length === x.times(['VP']).length, 'a safety pace for every artefact');
  });
});
