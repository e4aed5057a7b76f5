// The bradycardia pacing engine (PACEMAKER spec §3.5 modes, §5 timing). Event-driven: it runs
// only when a sense arrives or its single timer fires, computing the next pace from the last
// cycle boundary (a V event, or an A event in single-chamber atrial modes, §5.1). Parameters
// change only at a boundary; special overlays (magnet, ATR fallback) never touch the programmed set.
import type { Clock, TimerHandle } from '../core/clock.js';
import { AtrDetector } from './atr.js';
import { intervalOf, RUNAWAY_MIN_INTERVAL_MS } from './intervals.js';
import { channelOf } from './markers.js';
import type { Chamber, MarkerType } from './markers.js';
import {
  asynchronousFor, atrialTimed, lettersOf, pacesAtrium, pacesVentricle, sensesAtrium, sensesVentricle, tracks,
} from './modes.js';
import type { Mode, ModeLetters } from './modes.js';
import type { PacingParameters } from './params.js';
import { NOMINAL } from './params.js';
import { RateSensor } from './rate-sensor.js';
import { SPEC_RULES } from './rules.js';
import type { BatteryLevel, CycleInputs, TimingRules } from './rules.js';

export interface EngineOutput {
  /** Delivers one pulse; the device adapter drives the pace pin for `widthUs`. */
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

export class PacingEngine {
  private active: PacingParameters;
  private activeChecksum: number;
  private pending: PacingParameters | null = null;
  private battery: BatteryLevel = 'BOL';
  private magnetRequested = false;
  private magnetActive = false;
  private readonly sensor: RateSensor;
  private readonly atr: AtrDetector;
  private fallbackStart = 0;
  private fallbackFrom = 0;

  private cycle!: Cycle;
  private boundary = 0;
  private boundaryKind: BoundaryKind = 'start';
  private boundaryUpperLimited = false;
  private previousInterval: number | undefined;
  private cycleIndex = 0;
  private lastExtensionCycle = -2;
  private pmtCount = 0;
  private pmtPending = false;
  /** First atrial event (AS or AP) since the boundary, in dual-chamber modes; it starts the AV delay. */
  private atrialEvent: { t: number; paced: boolean } | null = null;
  /** Any atrial activity (AS, AR or AP) since the boundary: a V sense without it is a PVC (§4.8.2). */
  private atrialSinceBoundary = false;
  private trigger: { chamber: Chamber; at: number } | null = null;
  private lastSense = { A: -Infinity, V: -Infinity };
  private lastPace = { A: -Infinity, V: -Infinity };
  /** One marker per chamber per ms (§4.8): a second sense in the same ms is the same event. */
  private lastMarker = { A: -Infinity, V: -Infinity };
  private refractoryUntil = { A: -Infinity, V: -Infinity };
  private blankUntil = -Infinity;
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly out: EngineOutput,
    params: Readonly<PacingParameters>,
    private readonly rules: TimingRules = SPEC_RULES,
  ) {
    this.active = { ...params };
    this.activeChecksum = parameterChecksum(this.active);
    this.sensor = new RateSensor(params.lrl, clock.now());
    this.atr = new AtrDetector(rules.atrOnsetCount);
  }

  /** Starts timing as if a boundary happened now: the first pace comes one escape interval later. */
  start(): void {
    this.running = true;
    this.guard(() => this.enterBoundary(this.clock.now(), 'start'));
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Queues a validated parameter set for the next cycle boundary (immediately when nothing is paced or sensed). */
  program(params: Readonly<PacingParameters>): void {
    this.pending = { ...params };
    if (this.running && this.cycle.letters.paced === 'O' && this.cycle.letters.sensed === 'O') {
      this.guard(() => this.enterBoundary(this.clock.now(), 'start'));
    }
  }

  /**
   * Applies a set at once (Pace-Now), keeping the current timing base: the next pace is due one
   * new escape interval after the last boundary, or now if that has passed.
   */
  applyNow(params: Readonly<PacingParameters>): void {
    this.pending = null;
    this.active = { ...params };
    this.activeChecksum = parameterChecksum(this.active);
    this.previousInterval = undefined;
    this.trigger = null;
    this.atr.reset();
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
    this.magnetRequested = present;
  }

  setBattery(level: BatteryLevel): void {
    this.battery = level;
  }

  setActivity(level: number): void {
    this.sensor.setActivity(level);
  }

  status(): EngineStatus {
    return {
      programmedMode: this.active.mode,
      effectiveMode: this.effectiveMode(),
      magnet: this.magnetActive,
      atr: this.atr.phase,
      sensorRate: this.cycle?.inputs.sensorInterval === undefined ? undefined : Math.round(60000 / this.cycle.inputs.sensorInterval),
      lastVentricularEvent: Number.isFinite(this.lastVentricular()) ? this.lastVentricular() : undefined,
    };
  }

  /** A sense input edge (from a pin interrupt or the virtual heart). */
  sense(chamber: Chamber): void {
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

  private effectiveMode(): Mode {
    if (this.magnetActive) return asynchronousFor(this.active.mode);
    if (this.atr.phase === 'fallback') return lettersOf(this.active.mode).rateAdaptive ? 'VVIR' : 'VVI';
    return this.active.mode;
  }

  private lastVentricular(): number {
    return atrialTimed(this.cycle.letters) ? -Infinity : this.boundary;
  }

  private emit(t: number, type: MarkerType): void {
    const ch = channelOf(type);
    if (ch === 'A' || ch === 'V') this.lastMarker[ch] = t;
    this.out.marker(t, type);
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
    this.boundaryUpperLimited = false;
    this.cycleIndex++;
    this.atrialEvent = null;
    this.atrialSinceBoundary = false;

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
    const want = this.magnetRequested && this.active.magnetResponse;
    if (want === this.magnetActive) return;
    this.magnetActive = want;
    this.previousInterval = undefined;
    this.emit(t, want ? 'MAG-ON' : 'MAG-OFF');
  }

  private updateAtr(t: number): void {
    const programmed = lettersOf(this.active.mode);
    const enabled = this.active.atrMode && tracks(programmed) && !this.magnetActive;
    if (!enabled && this.atr.phase === 'idle') return;
    const transition = this.atr.ventricularEvent(enabled, this.active.atrDuration);
    if (!transition) return;
    if (transition === 'ATR-FB') {
      this.fallbackStart = t;
      this.fallbackFrom = Math.max(this.previousInterval ?? intervalOf(this.active.lrl), intervalOf(this.active.url));
    }
    if (transition !== 'ATR-Dur') this.previousInterval = undefined;
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
    } else if (kind === 'pvc' && this.active.pvarpExtension !== 0 && this.cycleIndex - this.lastExtensionCycle >= 2) {
      extended = this.active.pvarp + this.active.pvarpExtension;
      this.lastExtensionCycle = this.cycleIndex;
      marker = 'PVP';
    }
    this.pmtPending = false;
    const r = this.rules.refractory(inputs, extended);
    if (atrialTimed(letters)) {
      this.refractoryUntil.A = t + r.arp;
    } else {
      this.refractoryUntil.V = t + r.vrp;
      this.refractoryUntil.A = t + r.pvarp;
    }
    if (marker) this.emit(t, marker);
    return marker !== null;
  }

  private inputsFor(t: number, letters: ModeLetters): CycleInputs {
    const p = this.active;
    const sensorInterval = letters.rateAdaptive
      ? Math.max(intervalOf(p.msr), intervalOf(this.sensor.update(p, t)))
      : undefined;
    let imposedInterval: number | undefined;
    if (this.magnetActive) imposedInterval = intervalOf(this.rules.magnetRate(this.battery));
    else if (this.atr.phase === 'fallback') {
      const progress = Math.min(1, (t - this.fallbackStart) / (p.atrFallback * 60000));
      const ramp = Math.round(this.fallbackFrom + (intervalOf(p.lrl) - this.fallbackFrom) * progress);
      imposedInterval = Math.min(ramp, sensorInterval ?? Infinity);
    }
    return {
      params: p,
      letters,
      afterSense: this.boundaryKind === 'sense' || this.boundaryKind === 'pvc',
      previousInterval: this.previousInterval,
      sensorInterval,
      imposedInterval,
    };
  }

  private computeCycle(t: number): Cycle {
    const letters = lettersOf(this.effectiveMode());
    const inputs = this.inputsFor(t, letters);
    const { pav, sav } = this.rules.avDelays(inputs);
    return { letters, inputs, escape: this.rules.escape(inputs), trackingLimit: this.rules.trackingLimit(inputs), pav, sav };
  }

  // ---- scheduling -----------------------------------------------------------------------------

  /** The next pace this cycle, or null when none is due (Off, or a sensed-only state). */
  private nextPace(): { chamber: Chamber; at: number } | null {
    if (this.trigger) return this.trigger;
    const { letters, escape, pav, sav, trackingLimit } = this.cycle;
    const b = this.boundary;
    let next: { chamber: Chamber; at: number } | null = null;
    if (atrialTimed(letters)) {
      if (pacesAtrium(letters)) next = { chamber: 'A', at: b + escape };
    } else if (pacesVentricle(letters) && (letters.paced === 'D' || sensesAtrium(letters))) {
      const a = this.atrialEvent;
      if (!a) next = pacesAtrium(letters) ? { chamber: 'A', at: b + escape - pav } : { chamber: 'V', at: b + escape };
      else if (a.paced) next = { chamber: 'V', at: a.t + pav };
      else if (tracks(letters)) next = { chamber: 'V', at: Math.min(Math.max(a.t + sav, b + trackingLimit), b + escape) };
      else next = { chamber: 'V', at: b + escape };
    } else if (pacesVentricle(letters)) {
      next = { chamber: 'V', at: b + escape };
    }
    if (next) next.at = Math.max(next.at, this.lastPace[next.chamber] + RUNAWAY_MIN_INTERVAL_MS, this.clock.now());
    return next;
  }

  private schedule(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const next = this.nextPace();
    if (next) this.timer = this.clock.setTimeout(() => this.guard(() => this.onTimer()), next.at - this.clock.now());
  }

  private onTimer(): void {
    this.timer = undefined;
    const next = this.nextPace();
    const t = this.clock.now();
    if (!next || next.at > t) return this.schedule();
    this.deliver(next.chamber, t);
  }

  private deliver(chamber: Chamber, t: number): void {
    // Second line of the runaway cap: refuse a pulse closer than 205 ppm whatever asked for it.
    if (t - this.lastPace[chamber] < RUNAWAY_MIN_INTERVAL_MS) return this.schedule();
    // A sense already marked this ms in the chamber: pace 1 ms later so each event keeps its own marker.
    if (this.lastMarker[chamber] === t) {
      this.clock.clearTimeout(this.timer);
      this.timer = this.clock.setTimeout(() => this.guard(() => this.onTimer()), 1);
      return;
    }
    const p = this.active;
    const triggered = this.trigger !== null;
    this.trigger = null;
    this.out.pace(chamber, chamber === 'A' ? p.aAmplitude : p.vAmplitude, chamber === 'A' ? p.aPulseWidth : p.vPulseWidth);
    this.lastPace[chamber] = t;
    this.emit(t, chamber === 'A' ? 'AP' : 'VP');
    if (triggered) return this.schedule();
    const letters = this.cycle.letters;
    if (chamber === 'A') {
      this.pmtCount = 0;
      this.atrialSinceBoundary = true;
      if (atrialTimed(letters)) return this.enterBoundary(t, 'pace');
      this.atrialEvent = { t, paced: true };
      this.blankUntil = t + p.vBlanking;
      return this.schedule();
    }
    const a = this.atrialEvent;
    const upperLimited = a !== null && !a.paced && t > a.t + this.cycle.sav;
    this.enterBoundary(t, 'pace');
    this.boundaryUpperLimited = upperLimited;
  }

  // ---- sensing --------------------------------------------------------------------------------

  private senses(chamber: Chamber, letters: ModeLetters): boolean {
    if (chamber === 'V') return sensesVentricle(letters);
    return sensesAtrium(letters) || this.atr.phase === 'fallback';
  }

  private onSense(chamber: Chamber, t: number): void {
    const letters = this.cycle.letters;
    if (!this.senses(chamber, letters)) return;
    if ((chamber === 'V' && t < this.blankUntil) || this.lastMarker[chamber] === t) return;
    const sinceLast = t - this.lastSense[chamber];
    this.lastSense[chamber] = t;
    if (sinceLast < this.rules.noiseWindowMs) return this.emit(t, chamber === 'A' ? 'AN' : 'VN');
    const refractory = t < this.refractoryUntil[chamber] || (chamber === 'A' && !atrialTimed(letters) && this.atrialEvent !== null);
    if (chamber === 'A') {
      this.atr.atrialSense(t, intervalOf(this.active.url));
      this.atrialSinceBoundary = true;
    }
    if (refractory) {
      if (chamber === 'A') this.pmtCount = 0;
      return this.emit(t, chamber === 'A' ? 'AR' : 'VR');
    }
    if (chamber === 'A') this.onAtrialSense(t, letters);
    else this.onVentricularSense(t, letters);
  }

  private onAtrialSense(t: number, letters: ModeLetters): void {
    this.emit(t, 'AS');
    if (!this.rules.senseResets(letters)) return;
    if (atrialTimed(letters)) {
      this.armTrigger('A', t, letters);
      return this.enterBoundary(t, 'sense');
    }
    if (tracks(letters) && this.atr.phase !== 'fallback') this.countPmtSuspect(t);
    this.atrialEvent = { t, paced: false };
    this.schedule();
  }

  private onVentricularSense(t: number, letters: ModeLetters): void {
    const pvc = sensesAtrium(letters) && !this.atrialSinceBoundary;
    this.emit(t, pvc ? 'PVC' : 'VS');
    this.pmtCount = 0;
    if (!this.rules.senseResets(letters)) return;
    this.armTrigger('V', t, letters);
    this.enterBoundary(t, pvc ? 'pvc' : 'sense');
  }

  /** T modes: a sense triggers a pace in its chamber, unless that would exceed the upper rate. */
  private armTrigger(chamber: Chamber, t: number, letters: ModeLetters): void {
    if (letters.response !== 'T') return;
    if (t - this.boundary < intervalOf(this.active.url)) return;
    this.trigger = { chamber, at: t + this.rules.triggerDelayMs };
  }

  /** PMT detection: VP at the upper rate followed by an early atrial sense, cycle after cycle. */
  private countPmtSuspect(t: number): void {
    if (!this.active.pmtProtection) return;
    const suspect = this.boundaryKind === 'pace' && this.boundaryUpperLimited && t - this.boundary < this.rules.pmtVaMs;
    this.pmtCount = suspect ? this.pmtCount + 1 : 0;
    if (this.pmtCount >= this.rules.pmtCycles) {
      this.pmtCount = 0;
      this.pmtPending = true;
    }
  }
}
