// Fuzzing of the messages between the two XS machines, both ways. Therapy must never be
// disturbed: a message the worker refuses leaves the pace schedule exactly as it would have been
// without it (compared against a twin worker that never saw the message), and the main side
// survives any message from the worker without losing its watchdog.
import fc from 'fast-check';
import { isProtocolError, parseRequest } from '../../../modules/therapy/protocol.js';
import { ClockPaceTimer } from '../../../modules/therapy/pace-timer.js';
import type { Reply, WorkerEvent } from '../../../modules/therapy/protocol.js';
import { TherapyService } from '../../../modules/therapy/service.js';
import { TherapySupervisor } from '../../../modules/therapy-control/supervisor.js';
import type { WorkerPort } from '../../../modules/therapy-control/supervisor.js';
import { VirtualClock } from '../../../host/sim/virtual-clock.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail } from './mutate.js';

const OPS = ['interrogate', 'end-temporary', 'session-ended', 'pace-now', 'clear-safe-mode', 'reset-counters', 'program', 'restore', 'markers', 'magnet', 'battery', 'activity', 'reset-history', 'nonsense'];
const PARAMS = ['mode', 'lrl', 'url', 'avDelay', 'vrp', 'arp', 'pvarp', 'hysteresis', 'rateSmoothing', 'vAmplitude', 'x'];

/** Requests shaped like the protocol's, with wrong types, extra keys and out-of-range values. */
const nearRequest = fc.record({
  id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string(), fc.constant(null)),
  op: fc.constantFrom(...OPS),
  target: fc.constantFrom('permanent', 'temporary', 'other', 7),
  changes: fc.dictionary(fc.constantFrom(...PARAMS), fc.oneof(fc.integer({ min: -5, max: 400 }), fc.boolean(), fc.string({ maxLength: 20 }), fc.double())),
  on: fc.oneof(fc.boolean(), fc.integer()),
  present: fc.oneof(fc.boolean(), fc.string()),
  level: fc.oneof(fc.constantFrom('BOL', 'ERN', 'ERT', 'ERP', 'XXX'), fc.integer({ min: -2, max: 40 })),
  prior: fc.integer({ min: -3, max: 10 }),
  latched: fc.oneof(fc.boolean(), fc.nat()),
  checksum: fc.integer(),
}, { requiredKeys: ['op'] });

const anyMessage = fc.oneof(nearRequest, fc.anything({ maxDepth: 3 }));

/** A worker on its own clock whose paces (time, chamber) are recorded. */
function worker() {
  const clock = new VirtualClock();
  const paces: string[] = [];
  const replies: (Reply | WorkerEvent)[] = [];
  const service = new TherapyService(clock, { pace: (chamber) => paces.push(`${clock.now()}${chamber}`) }, (m) => replies.push(m));
  return { clock, paces, replies, service };
}

export const therapyMessageProperties: readonly FuzzProperty[] = [
  {
    name: 'therapy worker: a refused message is answered and leaves every pace where it was',
    property: () => fc.property(fc.array(anyMessage, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 3000 }), (messages, at) => {
      const refused = messages.filter((m) => isProtocolError(parseRequest(m)));
      if (refused.length === 0) return;
      const probe = worker();
      const twin = worker();
      probe.clock.advance(at);
      twin.clock.advance(at);
      for (const m of refused) probe.service.handle(m);
      const answers = probe.replies.filter((r) => 'ok' in r);
      if (answers.length !== refused.length || answers.some((r) => (r as Reply).ok)) fail('a refused message was not answered with an error');
      probe.clock.advance(10_000);
      twin.clock.advance(10_000);
      if (probe.paces.join() !== twin.paces.join()) fail('a refused message moved a pace');
      probe.service.stop();
      twin.service.stop();
    }),
  },
  {
    name: 'therapy worker: any message sequence is answered one for one and never stops pacing',
    property: () => fc.property(fc.array(anyMessage, { minLength: 1, maxLength: 6 }), (messages) => {
      const w = worker();
      for (const m of messages) w.service.handle(m);
      if (w.replies.filter((r) => 'ok' in r).length !== messages.length) fail('a message went unanswered');
      const before = w.paces.length;
      w.clock.advance(10_000);
      const mode = w.service.therapy.interrogate().engine.effectiveMode;
      // Whatever was accepted, a pacing mode with no heart attached paces: at least once in 10 s
      // (the lowest programmable rate is 30 ppm). Off and the O.. modes do not pace by definition.
      if (!mode.startsWith('O') && w.paces.length === before) fail(`no pace in 10 s in mode ${mode}`);
      w.service.stop();
    }),
  },
  {
    name: 'supervisor: any message from the worker never throws and the watchdog still fires',
    property: () => fc.property(fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 8 }), (messages) => {
      const clock = new VirtualClock();
      let backup = false;
      const port: WorkerPort = { onmessage: null, postMessage: () => {}, terminate: () => {} };
      const supervisor = new TherapySupervisor({
        clock, createWorker: () => port, onBackup: () => void (backup = true),
        openBackupIO: () => ({ paceTimer: new ClockPaceTimer(clock, () => {}), onVentricularSense: () => {} }),
      });
      for (const m of messages) {
        // A message shaped as a heartbeat is one: only the worker itself can post.
        if (typeof m === 'object' && m !== null && (m as { ev?: unknown }).ev === 'heartbeat') continue;
        port.onmessage?.(m);
      }
      clock.advance(2000);
      if (!backup || supervisor.mode !== 'backup') fail('garbage from a silent worker kept the backup pacer off');
      supervisor.close();
    }),
  },
];
