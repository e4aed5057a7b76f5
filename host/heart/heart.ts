// A seeded virtual heart in the spirit of the UPenn Virtual Heart Model: atrial and ventricular
// tissue with refractory periods, an intrinsic atrial driver (sinus, flutter or fibrillation), an
// AV node conducting both ways, a ventricular escape rhythm, premature beats, noise and lead-off
// episodes. It runs on the same clock as the pacemaker: its activations become sense inputs and
// the pacemaker's pulses capture the tissue when it is excitable and the lead is connected.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { Prng } from '../lib/prng.js';
import type { Scenario } from './scenario.js';

type Source = 'intrinsic' | 'premature' | 'retrograde' | 'conducted' | 'escape' | 'paced';

export interface HeartStats {
  atrialActivations: number;
  ventricularActivations: number;
  capturedPaces: number;
}

export class VirtualHeart {
  private readonly rng: Prng;
  private sense: (chamber: Chamber) => void = () => {};
  private refractoryUntil = { A: -Infinity, V: -Infinity };
  private nodeRefractoryUntil = -Infinity;
  private conductedCount = 0;
  private atrialTimer: TimerHandle | undefined;
  private escapeTimer: TimerHandle | undefined;
  readonly stats: HeartStats = { atrialActivations: 0, ventricularActivations: 0, capturedPaces: 0 };

  constructor(private readonly scenario: Scenario, private readonly clock: Clock, seed: number) {
    this.rng = new Prng(seed);
  }

  /** Connects the sense leads and starts the rhythm. */
  start(sense: (chamber: Chamber) => void): void {
    this.sense = sense;
    this.scheduleAtrialDriver(this.clock.now() + this.rng.int(200, 800));
    this.scheduleEscape();
    for (const e of this.scenario.episodes) {
      if (e.type === 'noise') this.clock.setTimeout(() => this.noise(e.chamber, e.intervalMs, e.toMs), Math.max(0, e.fromMs - this.clock.now()));
    }
  }

  /** A pacing pulse: captures when the lead is on and the tissue is excitable. */
  pace(chamber: Chamber): void {
    if (this.leadOff(chamber)) return;
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

  // ---- atrial driver --------------------------------------------------------------------------

  private nextDriverInterval(): number | null {
    const a = this.scenario.atrium;
    if (a.kind === 'sinus') return 60000 / a.rateBpm + (this.rng.next() * 2 - 1) * a.jitterMs;
    if (a.kind === 'flutter') return a.cycleMs + this.rng.int(-3, 3);
    if (a.kind === 'fibrillation') return this.rng.int(a.minMs, a.maxMs);
    return null;
  }

  private scheduleAtrialDriver(t: number): void {
    this.clock.clearTimeout(this.atrialTimer);
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
    if (source !== 'paced' && !this.leadOff(chamber)) this.sense(chamber);
    if (chamber === 'A') this.afterAtrial(t, source);
    else this.afterVentricular(t, source);
    return true;
  }

  private afterAtrial(t: number, source: Source): void {
    this.stats.atrialActivations++;
    const s = this.scenario;
    // The sinus node is reset by any atrial depolarisation it did not cause (overdrive by AP, PACs, retrograde P).
    if (s.atrium.kind === 'sinus' && source !== 'intrinsic') {
      const interval = this.nextDriverInterval();
      if (interval !== null) this.scheduleAtrialDriver(t + interval);
    }
    if (source !== 'retrograde' && t >= this.nodeRefractoryUntil && this.conducts()) {
      this.nodeRefractoryUntil = t + s.conduction.nodeRefractoryMs;
      this.at(t + s.conduction.prMs, () => this.activate('V', 'conducted'));
    }
    if (s.pac && source !== 'premature' && this.rng.next() < s.pac.probability) {
      this.at(t + s.pac.couplingMs, () => this.activate('A', 'premature'));
    }
  }

  private conducts(): boolean {
    const block = this.scenario.conduction.block;
    if (block === 'complete') return false;
    if (block === '2:1') return this.conductedCount++ % 2 === 0;
    return true;
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
    if (!this.leadOff(chamber)) this.sense(chamber);
    this.at(this.now() + intervalMs, () => this.noise(chamber, intervalMs, until));
  }
}
