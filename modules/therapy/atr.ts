// Atrial tachycardia response (spec §5.6): onset when atrial intervals are predominantly faster
// than the URL, a Duration count of ventricular cycles, then fallback to a non-tracking mode.
// AT ending during the count cancels it; AT ending during fallback returns to normal at once.
// Every transition is reported at a ventricular event, to which mode switches are synchronised.

export type AtrPhase = 'idle' | 'duration' | 'fallback';
export type AtrTransition = 'ATR-Dur' | 'ATR-FB' | 'ATR-End' | null;

export class AtrDetector {
  private fast = 0;
  private lastSense: number | undefined;
  private remaining = 0;
  phase: AtrPhase = 'idle';

  constructor(private readonly onsetCount: number) {}

  reset(): void {
    this.fast = 0;
    this.lastSense = undefined;
    this.phase = 'idle';
  }

  /** Every atrial sense, refractory or not (flutter waves often fall in PVARP). */
  atrialSense(t: number, upperIntervalMs: number): void {
    if (this.lastSense !== undefined) {
      const fast = t - this.lastSense < upperIntervalMs;
      this.fast = fast ? Math.min(this.onsetCount, this.fast + 1) : Math.max(0, this.fast - 1);
    }
    this.lastSense = t;
  }

  /** Called at each ventricular event; returns the transition to mark there, if any. */
  ventricularEvent(enabled: boolean, durationCycles: number): AtrTransition {
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
    if (this.phase === 'duration' && --this.remaining <= 0) {
      this.phase = 'fallback';
      return 'ATR-FB';
    }
    return null;
  }
}
