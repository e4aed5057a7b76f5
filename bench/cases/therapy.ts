// Cost of therapy on its own machine:
//   therapy.cycle   one paced DDD cycle at 60 ppm (AP, then VP 150 ms later) through the Therapy
//                   service: timer callbacks, refractory and escape computation, parameter
//                   integrity check, markers and counters. No heart: nothing inhibits.
//   therapy.service.cycle   the same cycle inside the worker's service: plus the marker stream and
//                   four heartbeats; its heap slots are the live state of the therapy machine.
import { NOMINAL } from '../../modules/therapy/params.js';
import { TherapyService } from '../../modules/therapy/service.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { benchCase } from './types.js';

export const cases = [
  benchCase({
    name: 'therapy.cycle',
    setup: () => {
      const clock = new VirtualClock(0);
      const therapy = new Therapy(clock, { pace: () => {}, marker: () => {} });
      therapy.program('permanent', { ...NOMINAL, mode: 'DDD' });
      clock.advance(5000); // POR cycle, then the DDD set applies
      return clock;
    },
    run: (clock) => {
      clock.advance(1000);
      return clock.now();
    },
  }),
  benchCase({
    name: 'therapy.service.cycle',
    setup: () => {
      const clock = new VirtualClock(0);
      const service = new TherapyService(clock, { pace: () => {} }, () => {});
      service.handle({ id: 1, op: 'program', target: 'permanent', changes: { ...NOMINAL, mode: 'DDD' } });
      clock.advance(5000);
      return clock;
    },
    run: (clock) => {
      clock.advance(1000);
      return clock.now();
    },
  }),
];
