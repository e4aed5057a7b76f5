// The bradycardia pacing engine (PACEMAKER spec §3.5 modes, §5 timing). Event-driven: it runs
// only when a sense arrives or its pace timer reports a pulse, computing the next pace from the
// last cycle boundary (a V event, or an A event in single-chamber atrial modes, §5.1), which it
// arms on the pace timer (pace-timer.ts: hardware on a board, so a stalled CPU cannot delay it). Parameters
// change only at a boundary; special overlays (magnet, ATR fallback) never touch the programmed
// set, and each cycle runs on the features that apply to its mode (applicability.ts, Table 6).
import type { Clock } from '../core/clock.js';
import { effectiveParameters } from './applicability.js';
import { AtrDetector } from './atr.js';
import { intervalOf, RUNAWAY_MIN_INTERVAL_MS } from './intervals.js';
import { channelOf } from './markers.js';
import type { Chamber, MarkerType } from './markers.js';
import {
  asynchronousFor, atrialTimed, lettersOf, pacesAtrium, pacesVentricle, sensesAtrium, sensesVentricle, tracks,
} from './modes.js';
import type { Mode, ModeLetters } from './modes.js';
import { NoiseDetector } from './noise.js';
import type { PacingParameters } from './params.js';
import { NOMINAL } from './params.js';
import { ClockPaceTimer } from './pace-timer.js';
import type { PaceTimer } from './pace-timer.js';
import { PmtDetector } from './pmt.js';
import { RateSensor } from './rate-sensor.js';
import { escapeBasis, SPEC_RULES } from './rules.js';
import type { BatteryLevel, CycleInputs, TimingRules } from './rules.js';

export interface EngineOutput {
  /** Where the default pace timer (a ClockPaceTimer on the engine's clock) emits each pulse; unused with a hardware pace timer. */
  pace(chamber: Chamber, amplitudeMv: number, widthUs: number): void;
  marker(t: number, type: MarkerType): void;
  /** An exception or a parameter integrity failure stopped the engine; the owner restarts therapy in POR. */
  fault(reason: string): void;
}

export interface EngineStatus {
  programmedMode: Mode;
  effectiveMode: Mode;
  magnet: boolean;
  atr: 'idle' | 'duration' | 'fallback';
  sensorRate: number | undefined;
  lastVentricularEvent: number | undefined;
}

type BoundaryKind = 'start' | 'pace' | 'sense' | 'pvc';

const CHAMBERS: readonly Chamber[] = ['A', 'V'];

/** Why a pace is due: the escape interval, a paced or tracked AV delay, a trigger (T modes), safety pacing. */
type PaceKind = 'escape' | 'av' | 'tracked' | 'trigger' | 'safety';

interface Cycle {
  letters: ModeLetters;
  inputs: CycleInputs;
  escape: number;
  trackingLimit: number;
  pav: number;
  sav: number;
}

/** A checksum (FNV-1a over the values in table order) of a parameter set, recomputed at every boundary to catch corruption in RAM. */
export function parameterChecksum(p: Readonly<PacingParameters>): number {
  let h = 0x811c9dc5;
  for (const key of Object.keys(NOMINAL) as (keyof PacingParameters)[]) {
    const v = p[key];
    if (typeof v === 'string') {
      for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
    } else {
      h = Math.imul(h ^ (typeof v === 'boolean' ? (v ? 1 : 2) : v | 0), 0x01000193);
    }
    h = Math.imul(h ^ 0xff, 0x01000193);
  }
  return h >>> 0;
}

interface DuePace {
  chamber: Chamber;
  at: number;
  kind: PaceKind;
  /** Set once armed: what the pulse was armed with. */
  amplitude?: number;
  width?: number;
}

export class PacingEngine {
  private active: PacingParameters;
  private activeChecksum: number;
  private pending: PacingParameters | null = null;
  private battery: BatteryLevel = 'BOL';
  /** When the battery reached ERP, for the gradual rate decline (§4.4). */
  private erpSince: number | undefined;
  private magnetRequested = false;
  private magnetActive = false;
  private readonly sensor: RateSensor;
  private readonly atr: AtrDetector;
  private readonly noise: NoiseDetector;
  private readonly pmt: PmtDetector;
  private fallbackStart = 0;
  private fallbackFrom = 0;

  private effective: { source: PacingParameters; mode: Mode; params: Readonly<PacingParameters> } | undefined;
  private cycle!: Cycle;
  private boundary = 0;
  private boundaryKind: BoundaryKind = 'start';
  private previousInterval: number | undefined;
  private cycleIndex = 0;
  private lastExtensionCycle = -2;
  private pmtPending = false;
  /** First atrial event (AS or AP) since the boundary, in dual-chamber modes; it starts the AV delay. */
  private atrialEvent: { t: number; paced: boolean } | null = null;
  /** Any atrial activity (AS, AR or AP) since the boundary: a V sense without it is a PVC (§4.8.2). */
  private atrialSinceBoundary = false;
  private trigger: DuePace | null = null;
  /** A ventricular safety pace due at this time (a V sense came inside the window after an AP). */
  private safetyPace: number | null = null;
  /** Last pulse on each lead, whatever became of it (noise, blanked, refractory, sensed). */
  private lastPulse = { A: -Infinity, V: -Infinity };
  private lastPace = { A: -Infinity, V: -Infinity };
  /** One marker per chamber per ms (§4.8): a second sense in the same ms is the same event. */
  private lastMarker = { A: -Infinity, V: -Infinity };
  private refractoryUntil = { A: -Infinity, V: -Infinity };
  private blankUntil = -Infinity;
  /** The paces armed on the pace timer, per chamber, until their report or a change of plan. */
  private readonly armed: Record<Chamber, DuePace | null> = { A: null, V: null };
  private readonly paceTimer: PaceTimer;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly out: EngineOutput,
    params: Readonly<PacingParameters>,
    private readonly rules: TimingRules = SPEC_RULES,
    paceTimer?: PaceTimer,
  ) {
    // A pace driver that throws is the engine's fault, as any exception in its steps.
    this.paceTimer = paceTimer ?? new ClockPaceTimer(clock, (c, a, w) => this.guard(() => out.pace(c, a, w)));
    this.paceTimer.listen((chamber, t) => this.onPaced(chamber, t));
    this.active = { ...params };
    this.activeChecksum = parameterChecksum(this.active);
    // The sensor starts at rest (its rate is clamped up to the LRL of the set in force).
    this.sensor = new RateSensor(0, clock.now());
    this.atr = new AtrDetector(rules.atrOnsetCount, rules.atrSilenceFactor);
    this.noise = new NoiseDetector(rules.noiseIntervalMs);
    this.pmt = new PmtDetector(rules);
  }

  /** Starts timing as if a boundary happened now: the first pace comes one escape interval later. */
  start(): void {
    this.running = true;
    this.guard(() => this.enterBoundary(this.clock.now(), 'start'));
  }

  /** Stops timing and disarms the pace timer; a pulse that went out meanwhile is reported now, to no effect. */
  stop(): void {
    this.running = false;
    for (const chamber of CHAMBERS) {
      const armed = this.armed[chamber];
      this.armed[chamber] = null;
      if (armed && !this.paceTimer.cancel(chamber)) this.paceTimer.poll();
    }
  }

  /** Queues a validated parameter set for the next cycle boundary (immediately when nothing is paced). */
  program(params: Readonly<PacingParameters>): void {
    this.paceTimer.poll();
    this.pending = { ...params };
    this.boundaryNowIfUnpaced();
  }

  /**
   * Applies a set at once (Pace-Now), keeping the current timing base: the next pace is due one
   * new escape interval after the last boundary, or now if that has passed.
   */
  applyNow(params: Readonly<PacingParameters>): void {
    this.paceTimer.poll();
    this.pending = null;
    this.active = { ...params };
    this.activeChecksum = parameterChecksum(this.active);
    this.previousInterval = undefined;
    this.trigger = null;
    this.safetyPace = null;
    this.atr.reset();
    this.pmt.reset();
    const now = this.clock.now();
    this.emit(now, 'PRM');
    this.guard(() => {
      this.cycle = this.computeCycle(now);
      this.schedule();
    });
  }

  /** The set that will be in force after the next boundary. */
  programmed(): Readonly<PacingParameters> {
    return this.pending ?? this.active;
  }

  setMagnet(present: boolean): void {
    this.paceTimer.poll();
    this.magnetRequested = present;
    this.boundaryNowIfUnpaced();
  }

  setBattery(level: BatteryLevel): void {
    this.battery = level;
    if (level !== 'ERP') this.erpSince = undefined;
    else this.erpSince ??= this.clock.now();
  }

  setActivity(level: number): void {
    this.sensor.setActivity(level);
  }

  status(): EngineStatus {
    this.paceTimer.poll();
    return {
      programmedMode: this.active.mode,
      effectiveMode: this.effectiveMode(),
      magnet: this.magnetActive,
      atr: this.atr.phase,
      sensorRate: this.cycle?.inputs.sensorInterval === undefined ? undefined : Math.round(60000 / this.cycle.inputs.sensorInterval),
      lastVentricularEvent: Number.isFinite(this.lastVentricular()) ? this.lastVentricular() : undefined,
    };
  }

  /**
   * A sense input edge (from a pin interrupt or the virtual heart). A pulse the pace timer emitted
   * before it (during a CPU stall both reach JavaScript late) is taken into account first.
   */
  sense(chamber: Chamber): void {
    this.paceTimer.poll();
    if (this.running) this.guard(() => this.onSense(chamber, this.clock.now()));
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.stop();
      this.out.fault(`exception: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** With nothing paced there are no boundaries to wait for: changes take effect at once. */
  private boundaryNowIfUnpaced(): void {
    if (this.running && this.cycle.letters.paced === 'O') this.guard(() => this.enterBoundary(this.clock.now(), 'start'));
  }

  private effectiveMode(): Mode {
    if (this.magnetActive) return asynchronousFor(this.active.mode);
    if (this.atr.phase === 'fallback') return this.rules.fallbackMode(lettersOf(this.active.mode));
    return this.active.mode;
  }

  private lastVentricular(): number {
    return atrialTimed(this.cycle.letters) ? -Infinity : this.boundary;
  }

  private emit(t: number, type: MarkerType): void {
    const ch = channelOf(type);
    if (ch === 'A' || ch === 'V') this.lastMarker[ch] = t;
    this.out.marker(t, type);
    // A marker in the ms a pace is armed for in its chamber: the pace moves (schedule) so each event keeps its own ms.
    if ((ch === 'A' || ch === 'V') && this.armed[ch]?.at === t) this.schedule();
  }

  // ---- cycle boundary -------------------------------------------------------------------------

  private enterBoundary(t: number, kind: BoundaryKind): void {
    if (parameterChecksum(this.active) !== this.activeChecksum) {
      this.stop();
      this.out.fault('integrity: active parameters changed in memory');
      return;
    }
    const interval = t - this.boundary;
    if (kind !== 'start' && kind !== 'pvc' && this.boundaryKind !== 'start') this.previousInterval = interval;
    if (kind === 'start') this.previousInterval = undefined;
    this.boundary = t;
    this.boundaryKind = kind;
    this.cycleIndex++;
    this.atrialEvent = null;
    this.atrialSinceBoundary = false;
    this.safetyPace = null;

    const before = this.effectiveMode();
    const reprogrammed = this.pending !== null;
    if (this.pending) {
      this.active = this.pending;
      this.activeChecksum = parameterChecksum(this.active);
      this.pending = null;
      this.previousInterval = undefined;
      this.emit(t, 'PRM');
    }
    this.updateMagnet(t);
    const augmented = this.startRefractory(t, kind);
    if (!augmented && kind !== 'start') this.updateAtr(t);
    this.cycle = this.computeCycle(t);
    // A pace this boundary's sense triggered belongs to the old set or state: a change cancels it.
    if (reprogrammed || this.effectiveMode() !== before) this.trigger = null;
    this.schedule();
  }

  private updateMagnet(t: number): void {
    const want = this.magnetRequested && this.active.magnetResponse && this.active.mode !== 'Off';
    if (want === this.magnetActive) return;
    this.magnetActive = want;
    this.previousInterval = undefined;
    this.emit(t, want ? 'MAG-ON' : 'MAG-OFF');
  }

  private updateAtr(t: number): void {
    const p = this.active;
    const enabled = p.atrMode && tracks(lettersOf(p.mode)) && !this.magnetActive;
    if (!enabled && this.atr.phase === 'idle') return;
    const transition = this.atr.ventricularEvent(t, intervalOf(p.url), enabled, p.atrDuration);
    if (!transition) return;
    if (transition === 'ATR-FB') {
      this.fallbackStart = t;
      this.fallbackFrom = Math.max(this.previousInterval ?? intervalOf(p.lrl), intervalOf(p.url));
    }
    // Rate smoothing (§5.9) keeps the previous interval across the switch: it stays in force.
    this.emit(t, transition);
  }

  /** Starts the refractory periods of the new cycle; returns true when it emitted an augmentation marker. */
  private startRefractory(t: number, kind: BoundaryKind): boolean {
    const letters = lettersOf(this.effectiveMode());
    const inputs = this.inputsFor(t, letters);
    let extended = 0;
    let marker: MarkerType | null = null;
    if (this.pmtPending && tracks(letters)) {
      extended = Math.min(this.rules.pmtPvarpMs, intervalOf(this.active.lrl) - this.active.avDelay);
      marker = 'PMT';
    } else if (kind === 'pvc' && inputs.params.pvarpExtension !== 0 && this.cycleIndex - this.lastExtensionCycle >= 2) {
      extended = inputs.params.pvarp + inputs.params.pvarpExtension;
      this.lastExtensionCycle = this.cycleIndex;
      marker = 'PVP';
    }
    this.pmtPending = false;
    const r = this.rules.refractory(inputs, extended);
    // Sensing-only (O response) modes time nothing, so a sense has nothing to be refractory to.
    if (letters.response === 'O') return false;
    if (atrialTimed(letters)) {
      this.refractoryUntil.A = t + r.arp;
    } else {
      this.refractoryUntil.V = t + r.vrp;
      this.refractoryUntil.A = t + r.pvarp;
    }
    if (marker) this.emit(t, marker);
    return marker !== null;
  }

  /** The set a cycle in the current effective mode runs on, rebuilt only when the set or the mode changes. */
  private effectiveFor(letters: ModeLetters): Readonly<PacingParameters> {
    const mode = this.effectiveMode();
    const cached = this.effective;
    if (cached && cached.source === this.active && cached.mode === mode) return cached.params;
    this.effective = { source: this.active, mode, params: effectiveParameters(this.active, letters) };
    return this.effective.params;
  }

  private inputsFor(t: number, letters: ModeLetters): CycleInputs {
    const p = this.effectiveFor(letters);
    const sensorInterval = letters.rateAdaptive
      ? Math.max(intervalOf(p.msr), intervalOf(this.sensor.update(p, t)))
      : undefined;
    const atrFallback = this.atr.phase === 'fallback' && !this.magnetActive;
    return {
      params: p,
      letters,
      afterSense: this.boundaryKind === 'sense' || this.boundaryKind === 'pvc',
      previousInterval: this.previousInterval,
      sensorInterval,
      lowerInterval: atrFallback ? this.fallbackRamp(t) : this.lowerRateInterval(t),
      atrFallback,
      imposedInterval: this.magnetActive ? intervalOf(this.rules.magnetRate(this.battery)) : undefined,
    };
  }

  /** §5.6.3: from the tachycardia's interval down to the LRL over the fallback time. */
  private fallbackRamp(t: number): number {
    const p = this.active;
    const progress = Math.min(1, (t - this.fallbackStart) / (p.atrFallback * 60000));
    return Math.round(this.fallbackFrom + (intervalOf(p.lrl) - this.fallbackFrom) * progress);
  }

  /** The LRI; at ERP the rate falls gradually by a fraction of the LRL (§4.4, Table 3). */
  private lowerRateInterval(t: number): number {
    const lrl = this.active.lrl;
    if (this.erpSince === undefined) return intervalOf(lrl);
    const progress = Math.min(1, (t - this.erpSince) / this.rules.erpDeclineMs);
    return Math.round(60000 / (lrl * (1 - this.rules.erpRateDecline * progress)));
  }

  private computeCycle(t: number): Cycle {
    const letters = lettersOf(this.effectiveMode());
    const inputs = this.inputsFor(t, letters);
    const { pav, sav } = this.rules.avDelays(inputs);
    return { letters, inputs, escape: this.rules.escape(inputs), trackingLimit: this.rules.trackingLimit(inputs), pav, sav };
  }

  // ---- scheduling -----------------------------------------------------------------------------

  /** The next pace this cycle, or null when none is due (Off, or a sensed-only state). */
  private nextPace(): DuePace | null {
    if (this.trigger) return this.trigger;
    const next = this.safetyPace !== null ? { chamber: 'V' as const, at: this.safetyPace, kind: 'safety' as const } : this.cyclePace();
    if (next) next.at = Math.max(next.at, this.lastPace[next.chamber] + RUNAWAY_MIN_INTERVAL_MS, this.clock.now());
    return next;
  }

  private cyclePace(): DuePace | null {
    const { letters, escape, pav, sav, trackingLimit } = this.cycle;
    const b = this.boundary;
    if (atrialTimed(letters)) return pacesAtrium(letters) ? { chamber: 'A', at: b + escape, kind: 'escape' } : null;
    if (!pacesVentricle(letters)) return null;
    if (letters.paced !== 'D' && !sensesAtrium(letters)) return { chamber: 'V', at: b + escape, kind: 'escape' };
    const a = this.atrialEvent;
    if (!a) return pacesAtrium(letters) ? { chamber: 'A', at: b + escape - pav, kind: 'escape' } : { chamber: 'V', at: b + escape, kind: 'escape' };
    if (a.paced) return { chamber: 'V', at: a.t + pav, kind: 'av' };
    // A tracked VP: the sensed AV delay, no sooner than the tracking limit, no later than the escape.
    if (tracks(letters)) return { chamber: 'V', at: Math.min(Math.max(a.t + sav, b + trackingLimit), b + escape), kind: 'tracked' };
    return { chamber: 'V', at: b + escape, kind: 'escape' };
  }

  /** Arms the paces of the plan on the pace timer, replacing the armed ones where it changed. */
  private schedule(): void {
    const plan: Record<Chamber, DuePace | null> = { A: null, V: null };
    const next = this.running ? this.nextPace() : null;
    if (next) {
      plan[next.chamber] = next;
      const follows = this.followingPace(next);
      if (follows) plan.V = follows;
    }
    for (const chamber of CHAMBERS) {
      const due = plan[chamber];
      // A sense already marked this ms in the chamber: pace 1 ms later so each event keeps its own marker.
      if (due && this.lastMarker[chamber] === due.at) due.at++;
      if (!this.arm(chamber, due)) return;
    }
  }

  /**
   * V-timed dual-chamber cycles: an A escape pace is followed by a V pace one paced AV delay later
   * unless something is sensed. That one is armed too, so it keeps its time even when a stalled CPU
   * hears of the A pace only after the AV delay; the A pace's report finds it armed as planned.
   */
  private followingPace(next: DuePace): DuePace | null {
    const letters = this.cycle.letters;
    if (next.chamber !== 'A' || next.kind !== 'escape' || atrialTimed(letters) || !pacesVentricle(letters)) return null;
    return { chamber: 'V', at: Math.max(next.at + this.cycle.pav, this.lastPace.V + RUNAWAY_MIN_INTERVAL_MS), kind: 'av' };
  }

  /** Arms `due` in `chamber` (or disarms it), unless already armed so; false when a report or a fault took over. */
  private arm(chamber: Chamber, due: DuePace | null): boolean {
    const p = this.active;
    const amplitude = chamber === 'A' ? p.aAmplitude : p.vAmplitude;
    const width = chamber === 'A' ? p.aPulseWidth : p.vPulseWidth;
    const armed = this.armed[chamber];
    if (armed && due && armed.at === due.at && armed.kind === due.kind && armed.amplitude === amplitude && armed.width === width) return true;
    if (armed) {
      this.armed[chamber] = null;
      if (!this.paceTimer.cancel(chamber)) {
        // Too late to disarm: the pulse went out, and its report settles the plan.
        this.armed[chamber] = armed;
        this.paceTimer.poll();
        if (this.armed[chamber] !== armed) return false;
        this.armed[chamber] = null;
      }
    }
    if (!due) return true;
    // The pace timer's runaway guard refusing what the engine's floor allowed means the engine's view of time is wrong.
    if (!this.paceTimer.arm(chamber, due.at, amplitude, width)) {
      this.stop();
      this.out.fault(`runaway: the pace timer refused a ${chamber} pace at ${due.at} ms`);
      return false;
    }
    this.armed[chamber] = { ...due, amplitude, width };
    return true;
  }

  /** The pace timer emitted the chamber's armed pulse at `t` (reported on time, or after a stall). */
  private onPaced(chamber: Chamber, t: number): void {
    const due = this.armed[chamber];
    if (!this.running || !due) return;
    this.armed[chamber] = null;
    this.guard(() => this.deliver(due, t));
  }

  private deliver(due: DuePace, t: number): void {
    const { chamber } = due;
    this.trigger = null;
    this.safetyPace = null;
    this.lastPace[chamber] = t;
    this.emit(t, chamber === 'A' ? 'AP' : 'VP');
    this.markModifier(due, t);
    if (due.kind === 'trigger') return this.schedule();
    const letters = this.cycle.letters;
    if (chamber === 'A') {
      this.pmt.reset();
      this.atrialSinceBoundary = true;
      if (atrialTimed(letters)) return this.enterBoundary(t, 'pace');
      this.atrialEvent = { t, paced: true };
      this.blankUntil = t + this.cycle.inputs.params.vBlanking;
      return this.schedule();
    }
    this.enterBoundary(t, 'pace');
  }

  /** §4.8 modifiers of a pace: what set the escape interval (-Hy, -Sr, ↓), or rate smoothing holding back a tracked pace (↑). */
  private markModifier(due: DuePace, t: number): void {
    const { inputs, trackingLimit } = this.cycle;
    if (due.kind === 'tracked') {
      if (trackingLimit > intervalOf(inputs.params.url) && t === this.boundary + trackingLimit) this.out.marker(t, '↑');
      return;
    }
    if (due.kind !== 'escape') return;
    const basis = escapeBasis(inputs).basis;
    if (basis === 'hysteresis') this.out.marker(t, '-Hy');
    else if (basis === 'sensor') this.out.marker(t, '-Sr');
    else if (basis === 'smoothing') this.out.marker(t, '↓');
  }

  // ---- sensing --------------------------------------------------------------------------------

  private senses(chamber: Chamber, letters: ModeLetters): boolean {
    if (chamber === 'V') return sensesVentricle(letters);
    return sensesAtrium(letters) || this.atr.phase === 'fallback';
  }

  private onSense(chamber: Chamber, t: number): void {
    const letters = this.cycle.letters;
    // Every pulse reaches the noise detector, even one the channel then ignores (§5.5), and even
    // on a lead the mode does not sense: a mode change in the middle of noise finds it known.
    const blanked = chamber === 'V' && t < this.blankUntil;
    const sinceLast = t - this.lastPulse[chamber];
    this.lastPulse[chamber] = t;
    const noise = this.noise.pulse(chamber, t, blanked);
    if (!this.senses(chamber, letters)) return;
    const uri = intervalOf(this.active.url);
    if (chamber === 'A' && sinceLast > 0) this.atr.atrialSense(t, uri);
    if (blanked || this.lastMarker[chamber] === t) return;
    if (noise) return this.emit(t, chamber === 'A' ? 'AN' : 'VN');
    const refractory = t < this.refractoryUntil[chamber] || (chamber === 'A' && !atrialTimed(letters) && this.atrialEvent !== null);
    if (chamber === 'A') this.atrialSinceBoundary = true;
    if (refractory) {
      if (chamber === 'A' && this.rules.pmtRefractoryResets) this.pmt.reset();
      return this.emit(t, chamber === 'A' ? 'AR' : 'VR');
    }
    if (chamber === 'A') this.onAtrialSense(t, letters, sinceLast < uri);
    else this.onVentricularSense(t, letters);
  }

  private onAtrialSense(t: number, letters: ModeLetters, fast: boolean): void {
    this.emit(t, fast ? 'AT' : 'AS');
    if (!this.rules.senseResets(letters)) return;
    if (atrialTimed(letters)) {
      this.armTrigger('A', t, letters);
      return this.enterBoundary(t, 'sense');
    }
    this.atrialEvent = { t, paced: false };
    if (tracks(letters) && this.cycle.inputs.params.pmtProtection && this.pmt.atrialSense(t - this.boundary, this.boundaryKind === 'pace')) {
      this.pmtPending = true;
    }
    this.schedule();
  }

  private onVentricularSense(t: number, letters: ModeLetters): void {
    this.pmt.reset();
    if (this.safetyPace !== null) return this.emit(t, 'VR');
    const a = this.atrialEvent;
    if (this.cycle.inputs.params.ventricularSafetyPacing && a?.paced && t < a.t + this.rules.vspWindowMs) {
      // Crosstalk or a real beat: either way pace at the window's end rather than risk inhibition.
      this.emit(t, 'VS');
      this.emit(t, 'VSP');
      this.safetyPace = a.t + this.rules.vspWindowMs;
      return this.schedule();
    }
    const pvc = sensesAtrium(letters) && !this.atrialSinceBoundary;
    this.emit(t, pvc ? 'PVC' : 'VS');
    if (!this.rules.senseResets(letters)) return;
    this.armTrigger('V', t, letters);
    this.enterBoundary(t, pvc ? 'pvc' : 'sense');
  }

  /** T modes: a sense triggers a pace in its chamber, unless that would exceed the upper rate. */
  private armTrigger(chamber: Chamber, t: number, letters: ModeLetters): void {
    if (letters.response !== 'T') return;
    if (t - this.boundary < intervalOf(this.active.url)) return;
    this.trigger = { chamber, at: t + this.rules.triggerDelayMs, kind: 'trigger' };
  }
}
