// The therapy machine in the test's own thread, on the test's virtual clock: the same
// TherapyService the device worker runs, behind a WorkerPort with the worker's message semantics
// (copied messages, delivered in order on a later turn). The worker shim runs in real time on
// its own thread, which a virtual-clock test cannot drive; this keeps every test exact.
import type { Clock } from '../../modules/core/clock.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import type { PaceTimer } from '../../modules/therapy/pace-timer.js';
import { TherapyService } from '../../modules/therapy/service.js';
import type { WorkerPort } from '../../modules/therapy-control/supervisor.js';

export interface Pace {
  readonly t: number;
  readonly chamber: Chamber;
  readonly by: 'worker' | 'backup';
}

export class LocalTherapyWorker implements WorkerPort {
  onmessage: ((message: unknown) => void) | null = null;
  readonly service: TherapyService;
  private alive = true;

  /**
   * `clock`: the main machine's; `own`: this machine's (its timers), on the same time base.
   * `paceTimer`: the board's pace timer; once the machine is dead its calls stop, but a pulse it armed still goes out.
   */
  constructor(clock: Clock, private readonly own: Clock, paceTimer: PaceTimer) {
    const gated: PaceTimer = {
      arm: (chamber, at, amplitude, width) => !this.alive || paceTimer.arm(chamber, at, amplitude, width),
      cancel: (chamber) => !this.alive || paceTimer.cancel(chamber),
      poll: () => void (this.alive && paceTimer.poll()),
      listen: (handler) => paceTimer.listen((chamber, t) => this.alive && handler(chamber, t)),
    };
    this.service = new TherapyService(own, { paceTimer: gated }, (message) => {
      if (!this.alive) return;
      const copy = structuredClone(message);
      clock.setTimeout(() => this.onmessage?.(copy), 0);
    });
  }

  postMessage(message: unknown): void {
    if (!this.alive) throw new Error('worker terminated');
    const copy = structuredClone(message);
    this.own.setTimeout(() => this.alive && this.service.handle(copy), 0);
  }

  terminate(): void {
    this.crash();
  }

  /** The machine aborts (an unhandled exception on the device): no more arms, beats or answers. */
  crash(): void {
    this.alive = false;
    this.service.stop();
  }
}
