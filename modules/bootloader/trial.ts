// The first minutes of a new image. At start-up the image does not confirm itself: it waits
// for the therapy self-test to pass (MCUboot's image_ok written by the app, ESP-IDF's
// PENDING_VERIFY), and reverts if the test fails or does not finish in time. The security
// counter rises only after the confirm is written; if power fails between the two, the next
// start of the confirmed image raises it (raising is idempotent).
// @req SEC-11 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import type { BootControl, TrialRevertReason } from './boot-control.js';
import type { OpenedManifest } from './signed-manifest.js';
import type { SecurityCounter } from './security-counter.js';
import type { UpdateEvent } from './update-service.js';

export interface SelfTestResult {
  readonly passed: boolean;
  readonly detail?: string;
}

export interface TrialOptions {
  readonly boot: BootControl;
  /** The running image's verified manifest (runningManifest() at start-up). */
  readonly running: OpenedManifest | undefined;
  readonly counter: SecurityCounter;
  readonly clock: Clock;
  /** The therapy self-test (pacing engine up, timing within limits); resolves, never rejects. */
  readonly selfTest: () => Promise<SelfTestResult>;
  readonly restart: () => void;
  /** A trial not confirmed within this time is reverted. */
  readonly confirmWithinMs: number;
  readonly onEvent?: (event: UpdateEvent) => void;
}

export type TrialOutcome = 'confirmed' | 'reverted' | 'not-on-trial';

export class TrialSupervisor {
  constructor(private readonly o: TrialOptions) {}

  /** Call once at start-up, after the therapy machine runs. Resolves when the trial is decided. */
  start(): Promise<TrialOutcome> {
    const boot = this.o.boot.status();
    const running = this.o.running;
    if (!boot.trial) {
      if (running) this.raiseCounter(running);
      if (boot.pending !== undefined && this.o.boot.cancelPending) {
        // Restarted with the activation untouched: no bootloader here can start a trial.
        this.o.boot.cancelPending();
        this.o.onEvent?.({ type: 'reverted', reason: 'not-activated' });
      }
      return Promise.resolve('not-on-trial');
    }
    return new Promise<TrialOutcome>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let decided = false;
      const decide = (passed: boolean, reason: TrialRevertReason) => {
        if (decided) return;
        decided = true;
        this.o.clock.clearTimeout(timer);
        try {
          resolve(passed && running ? this.confirm(running) : this.revert(reason, running));
        } catch (error) {
          reject(error); // a flash fault: the record is as before, and the next reset decides again
        }
      };
      // The bootloader checked the counter; ESP-IDF's does not, so the image checks itself too.
      if (!running || running.manifest.securityCounter < this.o.counter.read()) {
        decide(false, 'candidate-invalid');
        return;
      }
      timer = this.o.clock.setTimeout(() => decide(false, 'confirm-timeout'), this.o.confirmWithinMs);
      this.o.selfTest().then(
        (result) => decide(result.passed, 'self-test-failed'),
        () => decide(false, 'self-test-failed'),
      );
    });
  }

  private confirm(running: OpenedManifest): TrialOutcome {
    this.o.boot.confirm();
    this.raiseCounter(running);
    this.o.onEvent?.({ type: 'confirmed', version: running.manifest.version, securityCounter: running.manifest.securityCounter });
    return 'confirmed';
  }

  private revert(reason: TrialRevertReason, running: OpenedManifest | undefined): TrialOutcome {
    this.o.onEvent?.({ type: 'reverted', reason, version: running?.manifest.version });
    this.o.boot.revert(reason);
    this.o.restart();
    return 'reverted';
  }

  private raiseCounter(running: OpenedManifest): void {
    this.o.counter.raise(running.manifest.securityCounter);
  }
}
