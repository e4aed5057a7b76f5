// The therapy machine's message handling: any message, however malformed, is answered without
// an exception, and a refused one changes nothing.
// @req SAF-06 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Reply, WorkerEvent } from '../../modules/therapy/protocol.js';
import { decodeMarkers, HEARTBEAT_MS } from '../../modules/therapy/protocol.js';
import { SPEC_RULES } from '../../modules/therapy/rules.js';
import { TherapyService } from '../../modules/therapy/service.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

function service() {
  const clock = new VirtualClock(0);
  const posted: (Reply | WorkerEvent)[] = [];
  const s = new TherapyService(clock, { pace: () => {} }, (m) => posted.push(m));
  return { clock, posted, s };
}

const replies = (posted: (Reply | WorkerEvent)[]): Reply[] => posted.filter((m): m is Reply => 'id' in m);

describe('therapy protocol (inside the therapy machine)', () => {
  it('answers every message, never throws, and a refused message changes nothing', () => {
    const ops = ['interrogate', 'program', 'restore', 'end-temporary', 'session-ended', 'pace-now', 'clear-safe-mode', 'reset-counters', 'markers', 'magnet', 'battery', 'activity', 'reset-history', 'bogus'];
    const junk = fc.oneof(fc.anything(), fc.record({
      id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
      op: fc.oneof(fc.constantFrom(...ops), fc.string()),
      target: fc.constantFrom('permanent', 'temporary', 'x'),
      changes: fc.oneof(fc.dictionary(fc.constantFrom('lrl', 'url', 'mode', 'vrp', '__proto__', 'x'), fc.oneof(fc.integer({ min: 0, max: 400 }), fc.string(), fc.boolean())), fc.anything()),
      level: fc.oneof(fc.integer({ min: -2, max: 10 }), fc.constantFrom('BOL', 'ERN', 'ERT', 'EOL')),
      present: fc.anything(),
      on: fc.anything(),
      prior: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.double(), fc.string()),
      latched: fc.anything(),
    }, { requiredKeys: ['id', 'op'] }));
    fc.assert(fc.property(fc.array(junk, { maxLength: 20 }), (messages) => {
      const { s, posted } = service();
      for (const m of messages) {
        const before = JSON.stringify(s.therapy.interrogate());
        const count = replies(posted).length;
        s.handle(m);
        const answers = replies(posted);
        assert.equal(answers.length, count + 1, 'exactly one answer');
        const last = answers.at(-1)!;
        if (!last.ok) assert.equal(JSON.stringify(s.therapy.interrogate()), before);
      }
    }), { numRuns: 300 });
  });

  it('checks the reset history inside the worker: bad fields are refused and change nothing; a valid one can latch safe mode', () => {
    const { s, posted } = service();
    const bad = [
      { prior: 1.5, latched: false }, { prior: -1, latched: false }, { prior: 4, latched: false }, { prior: '2', latched: false },
      { prior: 2, latched: 'yes' }, { prior: 2 }, { prior: 2, latched: true, at: 0 },
    ];
    bad.forEach((fields, i) => s.handle({ id: 10 + i, op: 'reset-history', ...fields }));
    assert.deepEqual(replies(posted).map((r) => !r.ok && r.error.code), bad.map(() => 'bad-message'));
    assert.equal(s.therapy.interrogate().state, 'por');
    s.handle({ id: 30, op: 'reset-history', prior: 1, latched: false });
    assert.equal(s.therapy.interrogate().state, 'por', 'two resets in the window (one before, this boot) do not latch');
    s.handle({ id: 31, op: 'reset-history', prior: 2, latched: false });
    assert.equal(s.therapy.interrogate().state, 'safe', 'the third does');
    assert.deepEqual(replies(posted).slice(-2).map((r) => r.ok), [true, true]);
    const fresh = service();
    fresh.s.handle({ id: 1, op: 'reset-history', prior: 0, latched: true });
    assert.equal(fresh.s.therapy.interrogate().state, 'safe', 'a latch set before this boot holds');
  });

  it('streams markers and a heartbeat every HEARTBEAT_MS, with the last ventricular event', () => {
    const { clock, posted } = service();
    clock.advance(2000);
    const beats = posted.filter((m): m is Extract<WorkerEvent, { ev: 'heartbeat' }> => 'ev' in m && m.ev === 'heartbeat');
    assert.deepEqual(beats.map((b) => b.t), [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000].slice(0, beats.length));
    assert.equal(beats.length, 2000 / HEARTBEAT_MS + 1);
    assert.equal(beats.at(-1)!.lastV, 1846);
    const streamed = posted.flatMap((m) => ('ev' in m && m.ev === 'markers' ? decodeMarkers(m.pairs) : []));
    assert.deepEqual(streamed.map((m) => `${m.t} ${m.type}`), ['0 POR', '923 VP', '1846 VP']);
  });
});

describe('therapy machine that cannot pace', () => {
  it('falls silent (no heartbeat) when even a POR engine faults while starting', () => {
    const clock = new VirtualClock(0);
    const posted: (Reply | WorkerEvent)[] = [];
    const fatal: string[] = [];
    const broken = { ...SPEC_RULES, escape: () => { throw new Error('rule fault'); } };
    new TherapyService(clock, { pace: () => {} }, (m) => posted.push(m), { rules: broken, onFatal: (r) => fatal.push(r) });
    clock.advance(2000);
    assert.equal(posted.filter((m) => 'ev' in m && m.ev === 'heartbeat').length, 0);
    assert.match(fatal[0], /rule fault/);
  });
});
