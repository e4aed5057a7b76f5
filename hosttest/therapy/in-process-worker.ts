// A WorkerPort that runs the therapy service in this thread on a virtual clock, with the SDK's
// semantics where they matter to the main side: messages are copies and arrive on a later turn.
import type { Chamber } from '../../modules/therapy/markers.js';
import { TherapyService } from '../../modules/therapy/service.js';
import type { WorkerPort } from '../../modules/therapy-control/supervisor.js';
import type { VirtualClock } from '../../host/sim/virtual-clock.js';

export interface InProcessWorker extends WorkerPort {
  readonly service: TherapyService;
  readonly terminated: boolean;
}

export function inProcessWorker(clock: VirtualClock, pace: (chamber: Chamber) => void = () => {}): InProcessWorker {
  let terminated = false;
  const port: InProcessWorker = {
    onmessage: null,
    postMessage(message: unknown) {
      if (terminated) throw new Error('worker terminated');
      const copy = structuredClone(message);
      clock.setTimeout(() => !terminated && service.handle(copy), 0);
    },
    terminate() {
      terminated = true;
      service.stop();
    },
    get terminated() {
      return terminated;
    },
    service: undefined as unknown as TherapyService,
  };
  const service = new TherapyService(clock, { pace }, (m) => {
    const copy = structuredClone(m);
    clock.setTimeout(() => !terminated && port.onmessage?.(copy), 0);
  });
  (port as { service: TherapyService }).service = service;
  return port;
}
