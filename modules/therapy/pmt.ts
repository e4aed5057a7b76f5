// Pacemaker-mediated tachycardia detection (not in the 2007 spec; Jiang et al.'s ELT termination,
// with the VA criterion and stability test of Biotronik's PMT algorithm, docs/therapy.md). A
// suspect cycle is a ventricular pace followed by an atrial sense sooner than the VA criterion,
// with a VA interval within a few ms of the previous suspect's: retrograde conduction repeats its
// VA time, sinus P waves wander. Fast PMTs run at the upper rate, slow ones (slow retrograde
// conduction) below it, so no rate condition is used. After `pmtCycles` suspects in a row the next
// cycle gets the long PVARP that breaks the loop. A ventricular sense or an atrial pace ends the
// chain; an atrial sense in a refractory period does not (it is no evidence either way).

export interface PmtRules {
  /** Suspect cycles in a row that count as a PMT. */
  readonly pmtCycles: number;
  /** VP→AS shorter than this makes a suspect cycle (a VA criterion, Biotronik 250–500 ms). */
  readonly pmtVaMs: number;
  /** Largest VA change between consecutive suspect cycles. */
  readonly pmtStabilityMs: number;
  /** Whether an atrial sense in a refractory period ends the chain (it must not: it is no evidence either way). */
  readonly pmtRefractoryResets: boolean;
}

export class PmtDetector {
  private count = 0;
  private lastVa: number | undefined;

  constructor(private readonly rules: PmtRules) {}

  /** An atrial pace or a ventricular sense ends the chain. */
  reset(): void {
    this.count = 0;
    this.lastVa = undefined;
  }

  /**
   * A tracked (non-refractory) atrial sense `va` ms after the boundary; `afterPace` when that
   * boundary was a ventricular pace. Returns true when the cycles so far make a PMT.
   */
  atrialSense(va: number, afterPace: boolean): boolean {
    const r = this.rules;
    if (!afterPace || va >= r.pmtVaMs) {
      this.reset();
      return false;
    }
    const stable = this.lastVa === undefined || Math.abs(va - this.lastVa) <= r.pmtStabilityMs;
    this.count = stable ? this.count + 1 : 1;
    this.lastVa = va;
    if (this.count < r.pmtCycles) return false;
    this.reset();
    return true;
  }
}
