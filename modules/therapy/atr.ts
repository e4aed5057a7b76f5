// Atrial tachycardia response (spec §5.6): onset when atrial intervals are predominantly faster
// than the URL, a Duration count of ventricular cycles, then fallback to a non-tracking mode.
// AT ending during the count cancels it; AT ending during fallback returns to normal at once.
// Every transition is reported at a ventricular event, to which mode switches are synchronised.
// The atrial rate is judged from every atrial pulse (noise, refractory or not: flutter waves often
// fall in PVARP) and from silence: no atrial pulse for longer than the upper rate interval at a
// ventricular event counts as one slow interval, so AT that stops into standstill ends too.

export type AtrPhase = 'idle' | 'duration' | 'fallback';
export type AtrTransition = 'ATR-Dur' | 'ATR-FB' | 'ATR-End' | null;

export class AtrDetector {
  private fast = 0;
  private lastSense: number | undefined;
  private lastInterval = Infinity;
  private remaining = 0;
  phase: AtrPhase = 'idle';

  /**
   * `onsetCount`: net fast intervals that declare AT. `silenceFactor`: silence longer than this
   * many upper rate intervals counts as a slow interval (1; Infinity would ignore silence).
   */
  constructor(private readonly onsetCount: number, private readonly silenceFactor = 1) {}

  reset(): void {
    this.fast = 0;
    this.lastSense = undefined;
    this.lastInterval = Infinity;
    this.phase = 'idle';
  }

  /** Every atrial pulse that is not a duplicate of the same ms. */
  atrialSense(t: number, upperIntervalMs: number): void {
    if (this.lastSense !== undefined) {
      this.lastInterval = t - this.lastSense;
      this.count(this.lastInterval < upperIntervalMs);
    }
    this.lastSense = t;
  }

  /** Called at each ventricular event; returns the transition to mark there, if any. */
  ventricularEvent(t: number, upperIntervalMs: number, enabled: boolean, durationCycles: number): AtrTransition {
    const silent = this.lastSense === undefined || t - this.lastSense > upperIntervalMs * this.silenceFactor;
    if (silent) this.count(false);
    if (this.phase === 'idle') {
      if (!enabled || this.fast < this.onsetCount) return null;
      this.phase = 'duration';
      this.remaining = durationCycles;
      return 'ATR-Dur';
    }
    if (this.fast === 0 || !enabled) {
      this.phase = 'idle';
      return 'ATR-End';
    }
    // The Duration count advances only while the atrium is still fast, so it cannot reach
    // fallback after the tachycardia is over (§5.6.2: "the count stops").
    const stillFast = !silent && this.lastInterval < upperIntervalMs;
    if (this.phase === 'duration' && stillFast && --this.remaining <= 0) {
      this.phase = 'fallback';
      return 'ATR-FB';
    }
    return null;
  }

  private count(fast: boolean): void {
    this.fast = fast ? Math.min(this.onsetCount, this.fast + 1) : Math.max(0, this.fast - 1);
  }
}
