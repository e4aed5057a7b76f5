// A seeded virtual heart in the spirit of the UPenn Virtual Heart Model: atrial and ventricular
// tissue with refractory periods, an intrinsic atrial driver (sinus, flutter, fibrillation or
// standstill, changing over time in rhythm episodes), an AV node conducting both ways with
// variable PR and Wenckebach block, a ventricular escape rhythm, premature beats, noise at any
// interval, far-field crosstalk of atrial paces onto the ventricular lead, and lead-off episodes.
// It runs on the same clock as the pacemaker: its activations become sense inputs and the
// pacemaker's pulses capture the tissue when it is excitable and the lead is connected. It keeps
// the ground truth (what each sense really was, when each chamber really beat) for the checker.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { Prng } from '../lib/prng.js';
import type { AtrialRhythm, Scenario } from './scenario.js';

/** What caused a depolarisation. */
export type Source = 'intrinsic' | 'premature' | 'retrograde' | 'conducted' | 'escape' | 'paced';
/** What reached a sense lead: a depolarisation, or an artefact. */
export type SenseOrigin = Source | 'noise' | 'crosstalk';

export interface HeartStats {
  atrialActivations: number;
  ventricularActivations: number;
  capturedPaces: number;
}

/** The heart's own record, for checks the marker trace alone cannot make. */
export interface HeartTruth {
  /** Every depolarisation of the tissue (paced ones included), in time order. */
  activations: { t: number; chamber: Chamber; source: Source }[];
  /** Every signal delivered to a sense lead, in time order. */
  senses: { t: number; chamber: Chamber; origin: SenseOrigin }[];
}

export class VirtualHeart {
  private readonly rng: Prng;
  private sense: (chamber: Chamber) => void = () => {};
  private refractoryUntil = { A: -Infinity, V: -Infinity };
  private nodeRefractoryUntil = -Infinity;
  private conductedCount = 0;
  /** Conducted beats in the current Wenckebach group. */
  private wenckebachBeat = 0;
  private atrialTimer: TimerHandle | undefined;
  private escapeTimer: TimerHandle | undefined;
  readonly stats: HeartStats = { atrialActivations: 0, ventricularActivations: 0, capturedPaces: 0 };
  readonly truth: HeartTruth = { activations: [], senses: [] };

  constructor(private readonly scenario: Scenario, private readonly clock: Clock, seed: number) {
    this.rng = new Prng(seed);
  }

  /** Connects the sense leads and starts the rhythm. */
  start(sense: (chamber: Chamber) => void): void {
    this.sense = sense;
    this.scheduleAtrialDriver(this.clock.now() + this.rng.int(200, 800));
    this.scheduleEscape();
    for (const e of this.scenario.episodes) {
      if (e.type === 'noise') this.at(e.fromMs, () => this.noise(e.chamber, e.intervalMs, e.toMs));
      // A rhythm that starts after standstill needs its driver kicked; one that ends hands over to the next.
      if (e.type === 'rhythm') for (const t of [e.fromMs, e.toMs]) this.at(t, () => this.scheduleAtrialDriver(t + this.rng.int(50, 300)));
    }
  }

  /** A pacing pulse: captures when the lead is on and the tissue is excitable. */
  pace(chamber: Chamber): void {
    if (this.leadOff(chamber)) return;
    if (chamber === 'A') this.crosstalk();
    if (this.activate(chamber, 'paced')) this.stats.capturedPaces++;
  }

  private now(): number {
    return this.clock.now();
  }

  private within(type: 'sinus-arrest' | 'lead-off', chamber?: Chamber): boolean {
    const t = this.now();
    return this.scenario.episodes.some((e) => e.type === type && t >= e.fromMs && t < e.toMs
      && (e.type !== 'lead-off' || e.chamber === 'both' || e.chamber === chamber));
  }

  private leadOff(chamber: Chamber): boolean {
    return this.within('lead-off', chamber);
  }

  private at(t: number, action: () => void): TimerHandle {
    return this.clock.setTimeout(action, Math.max(0, t - this.now()));
  }

  private deliver(chamber: Chamber, origin: SenseOrigin): void {
    if (this.leadOff(chamber)) return;
    this.truth.senses.push({ t: this.now(), chamber, origin });
    this.sense(chamber);
  }

  // ---- atrial driver --------------------------------------------------------------------------

  /** The atrial rhythm in force now: the last rhythm episode covering now, else the scenario's own. */
  private rhythm(): AtrialRhythm {
    const t = this.now();
    let r = this.scenario.atrium;
    for (const e of this.scenario.episodes) if (e.type === 'rhythm' && t >= e.fromMs && t < e.toMs) r = e.atrium;
    return r;
  }

  private nextDriverInterval(): number | null {
    const a = this.rhythm();
    if (a.kind === 'sinus') return 60000 / a.rateBpm + (this.rng.next() * 2 - 1) * a.jitterMs;
    if (a.kind === 'flutter') return a.cycleMs + this.rng.int(-3, 3);
    if (a.kind === 'fibrillation') return this.rng.int(a.minMs, a.maxMs);
    return null;
  }

  private scheduleAtrialDriver(t: number): void {
    this.clock.clearTimeout(this.atrialTimer);
    this.atrialTimer = undefined;
    if (this.rhythm().kind === 'none') return;
    this.atrialTimer = this.at(Math.round(t), () => {
      if (!this.within('sinus-arrest')) this.activate('A', 'intrinsic');
      const interval = this.nextDriverInterval();
      if (interval !== null) this.scheduleAtrialDriver(this.now() + interval);
    });
  }

  private scheduleEscape(): void {
    this.clock.clearTimeout(this.escapeTimer);
    this.escapeTimer = undefined;
    if (this.scenario.escapeBpm === null) return;
    this.escapeTimer = this.at(this.now() + Math.round(60000 / this.scenario.escapeBpm), () => this.activate('V', 'escape'));
  }

  // ---- activation and conduction --------------------------------------------------------------

  /** Depolarises a chamber if it is excitable; returns whether it did. */
  private activate(chamber: Chamber, source: Source): boolean {
    const t = this.now();
    if (t < this.refractoryUntil[chamber]) return false;
    const s = this.scenario;
    this.refractoryUntil[chamber] = t + (chamber === 'A' ? s.atrialRefractoryMs : s.ventricularRefractoryMs);
    this.truth.activations.push({ t, chamber, source });
    if (source !== 'paced') this.deliver(chamber, source);
    if (chamber === 'A') this.afterAtrial(t, source);
    else this.afterVentricular(t, source);
    return true;
  }

  private afterAtrial(t: number, source: Source): void {
    this.stats.atrialActivations++;
    const s = this.scenario;
    // The sinus node is reset by any atrial depolarisation it did not cause (overdrive by AP, PACs, retrograde P).
    if (this.rhythm().kind === 'sinus' && source !== 'intrinsic') {
      const interval = this.nextDriverInterval();
      if (interval !== null) this.scheduleAtrialDriver(t + interval);
    }
    if (source !== 'retrograde' && t >= this.nodeRefractoryUntil) {
      const pr = this.conductionTime();
      if (pr !== null) {
        this.nodeRefractoryUntil = t + s.conduction.nodeRefractoryMs;
        this.at(t + pr, () => this.activate('V', 'conducted'));
      }
    }
    if (s.pac && source !== 'premature' && this.rng.next() < s.pac.probability) {
      this.at(t + s.pac.couplingMs, () => this.activate('A', 'premature'));
    }
  }

  /** The PR interval of this atrial beat, or null when the node blocks it. */
  private conductionTime(): number | null {
    const c = this.scenario.conduction;
    const jitter = c.prJitterMs ? Math.round((this.rng.next() * 2 - 1) * c.prJitterMs) : 0;
    if (c.block === 'complete') return null;
    if (c.block === '2:1') return this.conductedCount++ % 2 === 0 ? c.prMs + jitter : null;
    if (c.block === 'wenckebach' && c.wenckebach) {
      // Mobitz I: each conducted beat of a group prolongs the PR by a shrinking step, then one P is blocked.
      const beat = this.wenckebachBeat++;
      if (beat >= c.wenckebach.beats) {
        this.wenckebachBeat = 0;
        return null;
      }
      let pr = c.prMs;
      for (let k = 1; k <= beat; k++) pr += c.wenckebach.incrementMs / k;
      return Math.round(pr) + jitter;
    }
    return c.prMs + jitter;
  }

  private afterVentricular(t: number, source: Source): void {
    this.stats.ventricularActivations++;
    const s = this.scenario;
    this.scheduleEscape();
    const va = s.conduction.retrogradeVaMs;
    if (va !== null && source !== 'conducted' && t >= this.nodeRefractoryUntil) {
      this.nodeRefractoryUntil = t + s.conduction.nodeRefractoryMs;
      this.at(t + va, () => this.activate('A', 'retrograde'));
    }
    if (s.pvc && source !== 'premature' && this.rng.next() < s.pvc.probability) {
      this.at(t + s.pvc.couplingMs, () => this.activate('V', 'premature'));
    }
  }

  // ---- interference ---------------------------------------------------------------------------

  private noise(chamber: Chamber, intervalMs: number, until: number): void {
    if (this.now() >= until) return;
    this.deliver(chamber, 'noise');
    this.at(this.now() + intervalMs, () => this.noise(chamber, intervalMs, until));
  }

  /** Far-field sensing: an atrial pace's artefact reaches the ventricular lead a little later. */
  private crosstalk(): void {
    const x = this.scenario.crosstalk;
    if (!x || this.rng.next() >= x.probability) return;
    this.at(this.now() + x.delayMs, () => this.deliver('V', 'crosstalk'));
  }
}
