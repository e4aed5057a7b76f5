// The main machine's backup pacer: if the therapy worker dies, this deliberately small, separate
// implementation paces VVI at the POR values (65 ppm, 5.0 V, 0.5 ms, VRP 320 ms, §3.6.5) until
// the device restarts. It shares no code with the engine, so one bug cannot take down both. It
// marks its events as the engine does (VP, VS, and VR for a sense in the VRP, §4.8).
// @req SAF-02 (docs/traceability.md)
import type { Clock } from '../core/clock.js';
import { RUNAWAY_MIN_INTERVAL_MS } from '../therapy/intervals.js';
import type { MarkerType } from '../therapy/markers.js';
import type { PaceTimer } from '../therapy/pace-timer.js';

export interface BackupOutputs {
  /** The V pace pin's pace timer (hardware on a board: the erases the main machine runs cannot delay a pace). */
  paceTimer: PaceTimer;
  marker(t: number, type: MarkerType): void;
}

export const BACKUP_INTERVAL_MS = 923; // 60000 / 65 ppm
export const BACKUP_VRP_MS = 320;
export const BACKUP_AMPLITUDE_MV = 5000;
export const BACKUP_WIDTH_US = 500;

export class BackupPacer {
  private lastV = -Infinity;
  private lastPace = -Infinity;
  private running = false;

  constructor(private readonly clock: Clock, private readonly out: BackupOutputs) {
    out.paceTimer.listen((chamber, t) => chamber === 'V' && this.paced(t));
  }

  /** Starts pacing one interval after the last ventricular event the worker reported (or now). */
  start(lastVentricularEvent: number | null): void {
    this.running = true;
    this.lastV = lastVentricularEvent ?? this.clock.now() - BACKUP_INTERVAL_MS;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (!this.out.paceTimer.cancel('V')) this.out.paceTimer.poll();
  }

  /** A ventricular sense edge: inhibits the pending pace unless it falls in the VRP. */
  sense(): void {
    this.out.paceTimer.poll(); // a pace that went out before this sense counts first
    const t = this.clock.now();
    if (!this.running) return;
    if (t - this.lastV < BACKUP_VRP_MS) return this.out.marker(t, 'VR');
    this.lastV = t;
    this.out.marker(t, 'VS');
    this.arm();
  }

  private arm(): void {
    const timer = this.out.paceTimer;
    if (!timer.cancel('V')) {
      const lastPace = this.lastPace;
      timer.poll(); // too late to disarm: the pulse that went out re-arms through paced()
      if (this.lastPace !== lastPace) return;
    }
    const due = Math.max(this.clock.now(), this.lastV + BACKUP_INTERVAL_MS, this.lastPace + RUNAWAY_MIN_INTERVAL_MS);
    // The hardware also remembers the therapy machine's last pulse, which may be later than its last report.
    if (!timer.arm('V', due, BACKUP_AMPLITUDE_MV, BACKUP_WIDTH_US)) timer.arm('V', due + RUNAWAY_MIN_INTERVAL_MS, BACKUP_AMPLITUDE_MV, BACKUP_WIDTH_US);
  }

  private paced(t: number): void {
    if (!this.running) return;
    this.lastV = t;
    this.lastPace = t;
    this.out.marker(t, 'VP');
    this.arm();
  }
}
