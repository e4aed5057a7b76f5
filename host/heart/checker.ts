// The trace checker: judges a marker trace against the PACEMAKER specification (2007) as written
// (docs/heart-and-checker.md lists each property and its section). It is written from the spec
// text and the reference sources in checker/spec.ts, not from the engine: it imports nothing of
// modules/therapy but the parameter table's types and nominals. In closed-loop runs it also reads
// the heart's ground truth (what each sense really was, when the ventricle really beat).
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { Episode, TimedEvent } from './scenario.js';
import {
  atrialTimed, covers, interval, letters, magnetRate,
  MARKER_CHANNELS, NOISE_INTERVAL_MAX_MS, NOISE_ONSET_MIN_MS, NOISE_ONSET_PULSES, PACE_NOW_GRACE_MS, PMT_RUN_LIMIT, POR_TIMING,
  RESET_RESUME_MS, RUNAWAY_MIN_MS, SAFETY_WINDOW_MS, tracks, TRIGGER_WINDOW_MS,
} from './checker/spec.js';
import type { Chamber, Letters } from './checker/spec.js';
import { AtrMonitor } from './checker/atr-monitor.js';
import { isArtefact, SenseOrigins, ventricularPauses } from './checker/truth.js';
import type { PacingSegment, Truth } from './checker/truth.js';

export const PROPERTIES = Object.freeze([
  'markers', 'lower-rate', 'upper-rate', 'runaway', 'av-interval', 'atrial-escape', 'refractory', 'mode-semantics',
  'noise', 'pmt', 'mode-switch', 'pvarp-extension', 'rate-smoothing', 'hysteresis', 'rate-adaptive', 'safety-pacing',
  'asystole', 'magnet', 'reset-pacing', 'atomic-change',
] as const);
export type Property = (typeof PROPERTIES)[number];

export interface Violation {
  property: Property;
  t_ms: number;
  message: string;
}

export interface TraceEvent {
  t_ms: number;
  type: string;
}

export interface CheckResult {
  verdict: 'pass' | 'fail';
  violations: Violation[];
  events: TraceEvent[];
}

export interface CheckOptions {
  /** The parameter sets programmed, in the order their PRM markers appear (Pace-Now's set excepted). */
  programs: PacingParameters[];
  endMs: number;
  toleranceMs: number;
  /** Scenario inputs: magnet, battery and activity changes. */
  inputs: TimedEvent[];
  /** Scenario episodes: noise and lead-off matter to the checker. */
  episodes?: Episode[];
  /** The virtual heart's record, when the trace comes from a closed loop. */
  truth?: Truth;
}

type Kind = 'start' | 'pace' | 'sense' | 'pvc';
type SenseClass = 'credited' | 'refractory' | 'noise';

interface Cycle {
  t: number;
  kind: Kind;
  index: number;
  finalized: boolean;
  pvp: boolean;
  pmt: boolean;
  minEscape: number;
  maxEscape: number;
  upper: number;
  trackingLimit: number;
  pav: [number, number];
  sav: [number, number];
  smoothed: boolean;
  hysteresis: boolean;
}

/** §3.6.5: the POR set, Table 7 nominals for what it does not state. */
const POR_SET: PacingParameters = { ...NOMINAL, mode: POR_TIMING.mode, lrl: POR_TIMING.lrl, vrp: POR_TIMING.vrp };
const SENSE_CLASS: Readonly<Record<string, SenseClass>> = Object.freeze({
  AS: 'credited', VS: 'credited', PVC: 'credited', AT: 'credited', AR: 'refractory', VR: 'refractory', AN: 'noise', VN: 'noise',
});
/** Ventricular safety pacing (not in the 2007 spec; checker/spec.ts has its source). */
const safetyPacing = (p: PacingParameters): boolean => p.ventricularSafetyPacing;

class TraceChecker {
  readonly violations: Violation[] = [];
  private readonly origins: SenseOrigins;
  private readonly noise: Extract<Episode, { type: 'noise' }>[];
  private readonly segments: PacingSegment[] = [];
  private p: PacingParameters = POR_SET;
  private programIndex = 0;
  private magnet = false;
  private magnetInput = false;
  private battery = 'BOL';
  private activity = { level: 0, since: 0 };
  private inputIndex = 0;
  private readonly atr = new AtrMonitor();
  private paceNowPending = false;
  private cycleIndex = 0;
  private cycle: Cycle;
  private prev: number | undefined;
  private lastExtensionCycle = -2;
  private atrialEvent: { t: number; type: 'AS' | 'AP' } | null = null;
  private atrialActivity = false;
  private safety: { ap: number; sensed: boolean } | null = null;
  private trigger: { chamber: Chamber; by: number; required: boolean } | null = null;
  private lastPace = { A: -Infinity, V: -Infinity };
  private windows = { vrp: -Infinity, pvarp: -Infinity, pvarpMaybe: -Infinity, arp: -Infinity };
  private pmtRun = 0;
  private lastSignal = { A: -Infinity, V: -Infinity };
  private lastPaceMarker: number | null = null;
  private lastPaceRate = false;
  private pmtRunStart = 0;
  private deadlines: { by: number; property: Property; what: string }[] = [];
  private lastT = -Infinity;
  private lastChannelT: Record<string, number> = { A: -Infinity, V: -Infinity, aug: -Infinity };
  private readonly reported = new Set<string>();

  constructor(private readonly o: CheckOptions) {
    this.origins = new SenseOrigins(o.truth);
    this.noise = (o.episodes ?? []).filter((e): e is Extract<Episode, { type: 'noise' }> => e.type === 'noise');
    this.cycle = this.newCycle(0, 'start');
    this.segment(0);
  }

  private fail(property: Property, t: number, message: string): void {
    this.violations.push({ property, t_ms: t, message });
  }

  private failOnce(key: string, property: Property, t: number, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.fail(property, t, message);
  }

  /** The letters in force: §3.7 magnet (asynchronous), §5.6.3 ATR fallback (VVIR). */
  private mode(): Letters {
    const l = letters(this.p.mode);
    if (this.magnet) return { paced: l.paced, sensed: 'O', response: 'O', rateAdaptive: false };
    if (this.atr.phase === 'fallback') return { paced: 'V', sensed: 'V', response: 'I', rateAdaptive: true };
    return l;
  }

  private aTimed(): boolean {
    return atrialTimed(this.mode());
  }

  private newCycle(t: number, kind: Kind): Cycle {
    return {
      t, kind, index: ++this.cycleIndex, finalized: false, pvp: false, pmt: false, minEscape: 0, maxEscape: Infinity,
      upper: 0, trackingLimit: 0, pav: [0, 0], sav: [0, 0], smoothed: false, hysteresis: false,
    };
  }

  /** Records whether the ventricle is being paced from t on, for the heart-side pause check (J3). */
  private segment(t: number): void {
    const p = this.p;
    const longest = Math.max(interval(p.lrl), p.hysteresis ? interval(p.hysteresis) : 0);
    // §4.4 ERP: the rate "gradually decreases" by an amount the spec does not give; the bound doubles.
    const slack = this.battery === 'ERP' ? 2 : 1;
    this.segments.push({ from: t, pacesVentricle: covers(this.mode().paced, 'V'), maxGapMs: 2 * longest * slack + 2 * this.o.toleranceMs });
  }

  // ---- inputs and deadlines -------------------------------------------------------------------

  private consumeInputs(t: number): void {
    const inputs = this.o.inputs;
    while (this.inputIndex < inputs.length && inputs[this.inputIndex].atMs <= t) {
      const e = inputs[this.inputIndex++];
      if (e.type === 'battery') this.battery = e.level;
      if (e.type === 'activity') this.activity = { level: e.level, since: e.atMs };
      if (e.type !== 'magnet' || e.present === this.magnetInput) continue;
      this.magnetInput = e.present;
      // §3.7: OXO modes become OOO, which needs no marker: only pacing modes must answer.
      if (!this.p.magnetResponse || letters(this.p.mode).paced === 'O') continue;
      // §3.7: the magnet response starts (and ends) within one cardiac cycle.
      this.deadlines = this.deadlines.filter((d) => d.property !== 'magnet');
      this.deadlines.push({ by: e.atMs + this.cycle.maxEscape + this.o.toleranceMs, property: 'magnet', what: e.present ? 'MAG-ON' : 'MAG-OFF' });
    }
  }

  private checkDeadlines(t: number): void {
    for (const d of this.deadlines) if (t > d.by) this.fail(d.property, d.by, `${d.what} expected by ${d.by} ms`);
    this.deadlines = this.deadlines.filter((d) => t <= d.by);
    if (this.safety?.sensed && t > this.safety.ap + SAFETY_WINDOW_MS + this.o.toleranceMs) {
      this.fail('safety-pacing', this.safety.ap + SAFETY_WINDOW_MS, `a ventricular sense inside the ${SAFETY_WINDOW_MS} ms safety window after AP at ${this.safety.ap} got no safety pace`);
      this.safety = null;
    }
    if (this.trigger && t > this.trigger.by) {
      if (this.trigger.required) this.fail('mode-semantics', this.trigger.by, 'a sense in a triggered mode did not trigger a pace (§3.5.2)');
      this.trigger = null;
    }
  }

  private meet(property: Property, what: string): void {
    this.deadlines = this.deadlines.filter((d) => !(d.property === property && d.what === what));
  }

  /** §5.7: has the activity input been at its top level for a whole reaction time (the sensor rate is then surely above the LRL)? */
  private sensorUp(t: number): boolean {
    return this.activity.level >= 8 && t - this.activity.since >= this.p.reactionTime * 1000 && this.battery !== 'ERT' && this.battery !== 'ERP';
  }

  // ---- cycle bounds ---------------------------------------------------------------------------

  /** Bounds of the cycle that started at the last boundary, under the set and state in force after its markers. */
  private finalize(): void {
    if (this.cycle.finalized) return;
    this.cycle.finalized = true;
    this.bounds();
    this.expectExtension();
    this.startWindows();
  }

  /** The cycle's escape, upper-rate, tracking and AV bounds. */
  private bounds(): void {
    const c = this.cycle;
    const p = this.p;
    const l = this.mode();
    const lri = interval(p.lrl);
    const uri = interval(p.url);
    // §5.2 URL; §5.7 the MSR bounds sensor-driven paces.
    c.upper = l.rateAdaptive ? Math.min(uri, interval(p.msr)) : uri;
    // §5.8: hysteresis only in inhibiting and tracking modes, after a non-refractory sense in the timing chamber.
    c.hysteresis = p.hysteresis !== 0 && (c.kind === 'sense' || c.kind === 'pvc') && (l.response === 'I' || l.response === 'D') && !this.magnet;
    const base = c.hysteresis ? interval(p.hysteresis) : lri;
    if (this.magnet) {
      // §3.7: asynchronous at the magnet rate for the battery status.
      c.minEscape = c.maxEscape = interval(magnetRate(this.battery));
    } else {
      let longest = base * (this.battery === 'ERP' ? 2 : 1);
      // §5.9: rate smoothing caps each interval's growth over the previous one, in inhibiting and tracking modes, in fallback too.
      if (p.rateSmoothingDown !== 0 && this.prev !== undefined && (l.response === 'I' || l.response === 'D')) {
        const smoothed = Math.floor((this.prev * (100 + p.rateSmoothingDown)) / 100);
        c.smoothed = smoothed < longest;
        longest = Math.min(longest, smoothed);
      }
      c.maxEscape = Math.max(c.upper, longest);
      // Without rate modulation the escape is exact; with it (§5.7, fallback VVIR) anything down to the MSI.
      c.minEscape = l.rateAdaptive || this.battery === 'ERP' ? c.upper : c.maxEscape;
    }
    c.trackingLimit = uri;
    // §5.9 up: a tracked interval shrinks by at most the Up percentage.
    if (p.rateSmoothingUp !== 0 && this.prev !== undefined && (l.response === 'I' || l.response === 'D')) {
      c.trackingLimit = Math.max(uri, Math.ceil((this.prev * (100 - p.rateSmoothingUp)) / 100));
    }
    // §5.3: the paced AV delay is fixed, or with Dynamic AV between its programmed minimum and the fixed delay.
    c.pav = p.dynamicAv ? [p.minDynamicAv, p.avDelay] : [p.avDelay, p.avDelay];
    c.sav = [Math.max(30, c.pav[0] + p.sensedAvOffset), Math.max(30, c.pav[1] + p.sensedAvOffset)];
  }

  /** §5.4.4: a PVC extends the next PVARP, at most once every two cycles; PVARP exists where the ventricle is paced and the atrium sensed. */
  private expectExtension(): void {
    const c = this.cycle;
    const l = this.mode();
    const hasPvarp = covers(l.paced, 'V') && covers(l.sensed, 'A');
    const expect = c.kind === 'pvc' && this.p.pvarpExtension !== 0 && hasPvarp && c.index - this.lastExtensionCycle >= 2 && !c.pmt;
    if (expect !== c.pvp) {
      this.fail('pvarp-extension', c.t, expect ? 'a PVC did not extend the PVARP' : 'PVARP extended without a PVC, outside a PVARP mode, or within two cycles of the last');
    }
    if (c.pvp) this.lastExtensionCycle = c.index;
  }

  /** §5.4 refractory periods started by the boundary: ARP in A-timed modes, VRP and PVARP in the others. */
  private startWindows(): void {
    const c = this.cycle;
    const p = this.p;
    if (this.aTimed()) {
      this.windows.arp = c.t + p.arp;
      return;
    }
    this.windows.vrp = c.t + p.vrp;
    let sure = p.pvarp;
    let maybe = p.pvarp;
    // §5.4.4 and Table 7: the next PVARP is extended by the PVARP Extension.
    if (c.pvp) sure = maybe = p.pvarp + p.pvarpExtension;
    // PMT termination lengthens one PVARP, to at most 500 ms (Jiang's ELT model).
    if (c.pmt) maybe = Math.max(p.pvarp, 500);
    this.windows.pvarp = c.t + sure;
    this.windows.pvarpMaybe = c.t + maybe;
  }

  private boundary(t: number, kind: Kind): void {
    const wasV = !this.aTimed();
    if (kind !== 'start' && kind !== 'pvc' && this.cycle.kind !== 'start') this.prev = t - this.cycle.t;
    if (kind === 'start') this.prev = undefined;
    this.cycle = this.newCycle(t, kind);
    this.atrialEvent = null;
    this.atrialActivity = false;
    this.safety = null;
    if (kind !== 'start' && wasV) this.ventricularEvent(t);
  }

  /** §5.6: ATR follows the atrial rate at every ventricular event. */
  private ventricularEvent(t: number): void {
    for (const m of this.atr.ventricularEvent(t, this.atrEnabled(), interval(this.p.url), this.p.atrDuration)) this.fail('mode-switch', t, m);
  }

  /** §5.6: ATR applies to the tracking modes when programmed on, and not under the magnet. */
  private atrEnabled(): boolean {
    return this.p.atrMode && tracks(letters(this.p.mode)) && !this.magnet;
  }

  /** §5.1, §5.8, §5.9: the interval ending at a timing-chamber event must not outlast the cycle's escape. */
  private notLate(t: number): void {
    const c = this.cycle;
    const length = t - c.t;
    if (length <= c.maxEscape + this.o.toleranceMs) return;
    const misapplied = this.p.hysteresis !== 0 && !c.hysteresis && length <= interval(this.p.hysteresis) + this.o.toleranceMs;
    const property: Property = this.magnet ? 'magnet' : misapplied ? 'hysteresis' : c.smoothed ? 'rate-smoothing' : 'lower-rate';
    this.fail(property, t, `interval ${length} ms exceeds the escape interval ${c.maxEscape} ms`);
  }

  /** §3.5.3 inhibition and §3.5.1 asynchronous timing: an escape pace not before the cycle's escape interval. */
  private notEarly(t: number): void {
    const c = this.cycle;
    const length = t - c.t;
    if (length < c.minEscape - this.o.toleranceMs) {
      this.fail(this.magnet ? 'magnet' : 'mode-semantics', t, `pace ${length} ms after the cycle start, before the escape interval ${c.minEscape} ms`);
    }
    // §5.7 (and §5.8 in R modes): with the sensor surely up the escape is shorter than the LRI.
    if (this.mode().rateAdaptive && !this.magnet && this.sensorUp(c.t) && length >= interval(this.p.lrl) - this.o.toleranceMs) {
      this.fail(c.hysteresis ? 'hysteresis' : 'rate-adaptive', t, `escape ${length} ms at the LRL or below while the activity sensor has been at its top for the reaction time`
        + (this.atr.phase === 'fallback' ? ' (ATR fallback is VVIR, §5.6.3)' : ''));
    }
  }

  // ---- markers --------------------------------------------------------------------------------

  feed(t: number, type: string): void {
    const ch = MARKER_CHANNELS[type];
    if (ch === undefined || !Number.isInteger(t)) this.fail('markers', t, `malformed marker ${String(type)} at ${t} (§4.8)`);
    if (t < this.lastT) this.fail('markers', t, 'markers out of time order');
    this.lastT = t;
    if (ch === 'modifier') return this.modifier(t, type);
    if (ch !== undefined && ch !== 'state') {
      // §4.8: one marker per channel per ms.
      if (this.lastChannelT[ch] === t) this.fail('markers', t, `two ${ch} markers in one ms`);
      this.lastChannelT[ch] = t;
    }
    if (!this.cycle.finalized && (t > this.cycle.t || ch === 'A' || ch === 'V')) this.finalize();
    this.consumeInputs(t);
    this.checkDeadlines(t);
    this.lastPaceMarker = null;
    if (ch === 'A' || ch === 'V') {
      if (type === 'AP' || type === 'VP') {
        this.pace(ch, t);
        this.lastPaceMarker = t;
      } else this.sense(ch, t, type);
    } else if (type === 'VSP') {
      this.safetySense(t);
    } else if (ch !== undefined) {
      const before = `${this.p.mode}${this.magnet}${this.atr.phase}`;
      this.stateMarker(t, type);
      // A pace triggered by the boundary's sense belonged to the old set or state.
      if (`${this.p.mode}${this.magnet}${this.atr.phase}` !== before || type === 'PRM') this.trigger = null;
      this.segment(t);
    }
  }

  /** §4.8 modifiers qualify the pace marker just before them, in the same ms. */
  private modifier(t: number, type: string): void {
    const pace = this.lastPaceMarker;
    if (pace !== t) return this.fail('markers', t, `modifier ${type} not right after a pace`);
    if (type === '-Hy' && this.p.hysteresis === 0) this.fail('hysteresis', t, '-Hy pace with hysteresis off');
    if (type === '-Sr' && !this.lastPaceRate) this.fail('rate-adaptive', t, '-Sr pace outside a rate-adaptive mode');
    if ((type === '↑' || type === '↓') && this.p.rateSmoothingUp === 0 && this.p.rateSmoothingDown === 0) this.fail('rate-smoothing', t, `${type} pace with rate smoothing off`);
  }

  /** Ventricular safety pacing: the device's VSP marker names a sense in the window after an atrial pace. */
  private safetySense(t: number): void {
    const s = this.safety;
    if (!safetyPacing(this.p)) return this.fail('safety-pacing', t, 'VSP marked with ventricular safety pacing off');
    if (!s || t >= s.ap + SAFETY_WINDOW_MS) return this.fail('safety-pacing', t, `VSP outside the ${SAFETY_WINDOW_MS} ms after an atrial pace`);
    s.sensed = true;
  }

  private atBoundary(t: number, property: Property, what: string): void {
    if (t !== this.cycle.t) this.fail(property, t, `${what} not at a cycle boundary`);
  }

  private stateMarker(t: number, type: string): void {
    switch (type) {
      case 'POR':
      case 'SAFE':
        // §3.6.5: a reset starts over at the POR values.
        this.p = POR_SET;
        this.magnet = false;
        this.atr.phase = 'idle';
        this.trigger = null;
        this.lastExtensionCycle = -2;
        this.windows = { vrp: -Infinity, pvarp: -Infinity, pvarpMaybe: -Infinity, arp: -Infinity };
        this.boundary(t, 'start');
        this.deadlines.push({ by: t + interval(POR_TIMING.lrl) + RESET_RESUME_MS, property: 'reset-pacing', what: 'pace' });
        return;
      case 'PACE-NOW':
        // §3.6.3: the first pulse within two cardiac cycles plus 500 ms.
        this.paceNowPending = true;
        this.deadlines.push({ by: t + 2 * Math.max(this.cycle.maxEscape, interval(POR_TIMING.lrl)) + PACE_NOW_GRACE_MS, property: 'reset-pacing', what: 'VP' });
        return;
      case 'PRM':
        return this.programmed(t);
      case 'MAG-ON':
      case 'MAG-OFF':
        // §3.7: the magnet response follows the magnet, unless programmed off; OXO modes have no cycle to wait for.
        if (letters(this.p.mode).paced !== 'O') this.atBoundary(t, 'magnet', type);
        if (!this.p.magnetResponse) this.fail('magnet', t, 'magnet response is programmed off');
        if ((type === 'MAG-ON') !== this.magnetInput) this.fail('magnet', t, `${type} without the magnet input`);
        this.meet('magnet', type);
        this.magnet = type === 'MAG-ON';
        this.prev = undefined;
        return;
      case 'ATR-Dur':
      case 'ATR-FB':
      case 'ATR-End':
        return this.atrMarker(t, type as 'ATR-Dur' | 'ATR-FB' | 'ATR-End');
      case 'PVP':
        this.atBoundary(t, 'pvarp-extension', type);
        this.cycle.pvp = true;
        return;
      case 'PMT':
        this.atBoundary(t, 'pmt', type);
        this.cycle.pmt = true;
        return;
    }
  }

  private programmed(t: number): void {
    if (this.paceNowPending) {
      // Pace-Now applies at once from the last boundary: the running cycle may end under either set.
      this.paceNowPending = false;
      const { minEscape, maxEscape } = this.cycle;
      this.p = POR_SET;
      this.atr.phase = 'idle';
      this.prev = undefined;
      // The refractory periods already running stay: a new timing base starts none mid-cycle.
      this.bounds();
      this.cycle.minEscape = Math.min(minEscape, this.cycle.minEscape);
      this.cycle.maxEscape = Math.max(maxEscape, this.cycle.maxEscape);
      return;
    }
    // A set takes effect at a cycle boundary; with nothing paced or sensed, at once.
    const idle = this.mode().paced === 'O' && this.mode().sensed === 'O';
    if (idle) this.boundary(t, 'start');
    else this.atBoundary(t, 'atomic-change', 'parameter change');
    const next = this.o.programs[this.programIndex++];
    if (!next) return this.fail('atomic-change', t, 'a parameter set was applied that nobody programmed');
    this.p = next;
    this.prev = undefined;
    this.cycle.finalized = false;
  }

  /** §5.6.3: "ATR-related mode switches shall always be synchronized to a ventricular paced or sensed event." */
  private atrMarker(t: number, type: 'ATR-Dur' | 'ATR-FB' | 'ATR-End'): void {
    this.atBoundary(t, 'mode-switch', type);
    if (this.aTimed()) this.fail('mode-switch', t, `${type} in an atrially timed mode`);
    for (const m of this.atr.marker(type, this.atrEnabled(), this.p.atrDuration)) this.fail('mode-switch', t, m);
    this.cycle.finalized = false;
  }

  private pace(ch: Chamber, t: number): void {
    const l = this.mode();
    const tol = this.o.toleranceMs;
    // §3.5 Table 2: paces only in the chambers the mode (or its special state) paces.
    if (!covers(l.paced, ch)) this.fail('mode-semantics', t, `${ch} paced in ${this.p.mode}${this.atr.phase === 'fallback' ? ' during ATR fallback (VVIR, §5.6.3)' : ''}`);
    // Runaway protection (205 ppm, checker/spec.ts), whatever the state.
    if (t - this.lastPace[ch] < RUNAWAY_MIN_MS) this.fail('runaway', t, `${ch} paces ${t - this.lastPace[ch]} ms apart`);
    this.lastPaceRate = l.rateAdaptive;
    this.lastPace[ch] = t;
    this.meet('reset-pacing', 'pace');
    if (ch === 'V') this.meet('reset-pacing', 'VP');
    if (this.trigger?.chamber === ch) {
      this.trigger = null;
      return;
    }
    const c = this.cycle;
    if (this.aTimed()) {
      if (ch === 'A') {
        this.notLate(t);
        this.notEarly(t);
        this.boundary(t, 'pace');
      }
      return;
    }
    if (ch === 'A') return this.atrialPace(t);
    const a = this.atrialEvent;
    const length = t - c.t;
    if (this.safety?.sensed) {
      // Ventricular safety pacing: the pace comes at the end of the window (checker/spec.ts).
      const at = this.safety.ap + SAFETY_WINDOW_MS;
      if (Math.abs(t - at) > tol) this.fail('safety-pacing', t, `safety pace at ${t} ms, expected at ${at} ms`);
      this.pmtRun = 0;
      return this.boundary(t, 'pace');
    }
    // §5.2: "the minimum time between a ventricular event and the next ventricular pace" (J1).
    const upper = this.magnet ? Math.min(c.upper, c.minEscape) : c.upper;
    if (length < upper - tol) this.fail('upper-rate', t, `VP ${length} ms after the last V event, under the upper rate interval ${upper} ms`);
    this.notLate(t);
    let retrogradeTracked = false;
    if (a?.type === 'AP' && covers(l.paced, 'A')) {
      // §5.3 paced AV delay.
      const av = t - a.t;
      if (av < c.pav[0] - tol || av > c.pav[1] + tol) this.fail('av-interval', t, `paced AV ${av} ms, expected ${c.pav.join('–')} ms`);
    } else if (a?.type === 'AS' && tracks(l)) {
      // §3.5.4 tracking, §5.2 URL, §5.3 sensed AV delay, §5.9 smoothing up.
      const av = t - a.t;
      if (av < c.sav[0] - tol && length < c.minEscape - tol) this.fail('av-interval', t, `sensed AV ${av} ms under ${c.sav[0]} ms`);
      if (length < c.trackingLimit - tol) this.fail(c.trackingLimit > interval(this.p.url) ? 'rate-smoothing' : 'upper-rate', t, `tracked VP ${length} ms after the last V event, under ${c.trackingLimit} ms`);
      if (t > Math.max(a.t + c.sav[1], c.t + c.trackingLimit) + tol && length < c.minEscape - tol) this.fail('av-interval', t, `tracked VP late: AS at ${a.t}`);
      retrogradeTracked = this.origins.of('A', a.t) === 'retrograde';
    } else {
      this.notEarly(t);
    }
    this.pmtCycle(t, retrogradeTracked);
    this.boundary(t, 'pace');
  }

  /** §5.1, §5.3: in V-timed dual-chamber modes the atrial escape is the escape interval less the paced AV delay. */
  private atrialPace(t: number): void {
    const c = this.cycle;
    const tol = this.o.toleranceMs;
    if (this.atrialEvent) this.fail('mode-semantics', t, `AP after ${this.atrialEvent.type} in the same cycle`);
    const aei = t - c.t;
    if (aei < c.minEscape - c.pav[1] - tol || aei > c.maxEscape - c.pav[0] + tol) {
      this.fail(this.magnet ? 'magnet' : 'atrial-escape', t, `AP ${aei} ms after the V event, outside [${c.minEscape - c.pav[1]}, ${c.maxEscape - c.pav[0]}]`);
    }
    this.atrialEvent = { t, type: 'AP' };
    this.atrialActivity = true;
    if (safetyPacing(this.p) && covers(this.mode().sensed, 'V')) this.safety = { ap: t, sensed: false };
  }

  /** J5: with PMT protection on, no long run of paces tracking retrograde P waves (heart truth). */
  private pmtCycle(t: number, retrogradeTracked: boolean): void {
    this.pmtRun = retrogradeTracked && this.p.pmtProtection ? this.pmtRun + 1 : 0;
    if (retrogradeTracked && this.pmtRun === 1) this.pmtRunStart = t;
    if (this.pmtRun > PMT_RUN_LIMIT) this.failOnce(`pmt-${this.pmtRunStart}`, 'pmt', t, `more than ${PMT_RUN_LIMIT} consecutive ventricular paces tracking retrograde P waves`);
  }

  // ---- senses ---------------------------------------------------------------------------------

  /** §5.5: where is t relative to the noise episodes on a chamber's lead? */
  private noiseAt(ch: Chamber, t: number): 'onset' | 'noise' | 'after' | null {
    for (const e of this.noise) {
      if (e.chamber !== ch || t < e.fromMs) continue;
      if (t < e.fromMs + Math.max(NOISE_ONSET_MIN_MS, NOISE_ONSET_PULSES * e.intervalMs)) return 'onset';
      if (t < e.toMs) return 'noise';
      if (t < e.toMs + interval(this.p.lrl) + e.intervalMs) return 'after';
    }
    return null;
  }

  /** §5.4: is a sense at t inside a refractory period ('sure'), possibly inside one ('maybe'), or outside? */
  private refractoryAt(ch: Chamber, t: number): 'sure' | 'maybe' | 'no' {
    const w = this.windows;
    if (this.aTimed()) return ch === 'A' && t < w.arp ? 'sure' : 'no';
    if (ch === 'V') return t < w.vrp ? 'sure' : 'no';
    // §5.4.5: the atrium is also refractory during the AV interval.
    if (t < w.pvarp || this.atrialEvent !== null) return 'sure';
    return t < w.pvarpMaybe ? 'maybe' : 'no';
  }

  private sense(ch: Chamber, t: number, type: string): void {
    const l = this.mode();
    const fallbackMonitor = ch === 'A' && this.atr.phase === 'fallback';
    if (!covers(l.sensed, ch) && !fallbackMonitor) return this.fail('mode-semantics', t, `${type} marked while ${this.p.mode} does not sense ${ch}`);
    // Table 7 Ventricular Blanking: V senses right after an atrial pace are not seen at all.
    if (ch === 'V' && this.atrialEvent?.type === 'AP' && t < this.atrialEvent.t + this.p.vBlanking) this.fail('refractory', t, `${type} inside ventricular blanking`);
    const marked = SENSE_CLASS[type];
    const previousSignal = this.lastSignal[ch];
    this.lastSignal[ch] = t;
    if (ch === 'A') this.atr.atrialSignal(t, interval(this.p.url));
    if (ch === 'A' && marked !== 'noise') this.atrialActivity = true;
    if (fallbackMonitor && !covers(l.sensed, 'A')) return;
    const inSafetyWindow = ch === 'V' && this.safety !== null && t < this.safety.ap + SAFETY_WINDOW_MS;
    if (inSafetyWindow && marked === 'credited') {
      // Ventricular safety pacing: any sense here is answered by a pace at the window's end, not by inhibition.
      this.safety!.sensed = true;
      return;
    }
    this.classify(ch, t, type, marked, l, previousSignal);
    if (marked !== 'credited' || l.paced === 'O') return;
    if (ch === 'A') {
      if (this.aTimed()) {
        this.meet('reset-pacing', 'pace');
        return this.timingSense(ch, t, 'sense');
      }
      if (!this.atrialEvent) this.atrialEvent = { t, type: 'AS' };
      return;
    }
    if (this.aTimed()) return;
    // §4.8.2: a ventricular sense with no atrial event since the previous ventricular event is a PVC.
    const pvc = covers(l.sensed, 'A') && !this.atrialActivity;
    if (pvc !== (type === 'PVC')) this.fail('markers', t, `${type} marked, ${pvc ? 'PVC' : 'VS'} expected (§4.8.2)`);
    this.pmtCycle(t, false);
    this.meet('reset-pacing', 'pace');
    this.meet('reset-pacing', 'VP');
    this.timingSense(ch, t, pvc ? 'pvc' : 'sense');
  }

  /** §5.4 refractory senses and §5.5 noise: how a sense must (and must not) be marked. */
  private classify(ch: Chamber, t: number, type: string, marked: SenseClass, l: Letters, previousSignal: number): void {
    if (l.paced === 'O' && l.sensed !== 'O') return; // sensing-only temporary modes: no timing to protect
    const noise = this.noiseAt(ch, t);
    if (noise === 'noise' && marked === 'credited') {
      return this.fail('noise', t, `${type}: a sense credited during continuous noise on the ${ch} lead (§5.5: asynchronous pacing)`);
    }
    if (noise !== null || this.atr.phase === 'fallback' && ch === 'A') return;
    const refractory = this.refractoryAt(ch, t);
    if (refractory === 'sure' && marked === 'credited') {
      const c = this.cycle;
      const extension = ch === 'A' && c.pvp && t >= c.t + this.p.pvarp;
      return this.fail(extension ? 'pvarp-extension' : 'refractory', t, `${type} inside a refractory period`);
    }
    const origin = this.origins.of(ch, t);
    const fast = t - (this.origins.previous(ch, t) ?? previousSignal) <= NOISE_INTERVAL_MAX_MS;
    if (refractory === 'no' && marked !== 'credited' && !isArtefact(origin) && !fast) {
      this.fail(marked === 'noise' ? 'noise' : 'refractory', t, `${type}: a heartbeat outside the refractory periods and away from noise was not credited`);
    }
  }

  private timingSense(ch: Chamber, t: number, kind: Kind): void {
    const c = this.cycle;
    this.notLate(t);
    // §3.5.2: a sense triggers an immediate pace, unless it came faster than the URL (§5.2); within the tolerance of the URI it may do either.
    const sinceBoundary = t - c.t - interval(this.p.url);
    if (this.mode().response === 'T' && sinceBoundary >= -this.o.toleranceMs) {
      this.trigger = { chamber: ch, by: t + TRIGGER_WINDOW_MS, required: sinceBoundary >= this.o.toleranceMs };
    }
    this.boundary(t, kind);
  }

  finish(endMs: number): void {
    this.consumeInputs(endMs);
    this.checkDeadlines(endMs);
    this.finalize();
    const l = this.mode();
    if (l.paced !== 'O' && endMs - this.cycle.t > this.cycle.maxEscape + this.o.toleranceMs) {
      this.fail('lower-rate', endMs, `no ${this.aTimed() ? 'atrial' : 'ventricular'} event since ${this.cycle.t} ms`);
    }
    if (this.o.truth) {
      const leadOff = (from: number, to: number): boolean => (this.o.episodes ?? []).some((e) => e.type === 'lead-off'
        && e.chamber !== 'A' && e.fromMs < to && e.toMs > from);
      for (const [t, message] of ventricularPauses(this.o.truth, this.segments, endMs, leadOff)) this.fail('asystole', t, message);
    }
  }
}


export function checkTrace(markers: readonly { t: number; type: string }[], options: CheckOptions): CheckResult {
  const checker = new TraceChecker(options);
  for (const m of markers) checker.feed(m.t, m.type);
  checker.finish(options.endMs);
  return {
    verdict: checker.violations.length === 0 ? 'pass' : 'fail',
    violations: checker.violations,
    events: markers.map((m) => ({ t_ms: m.t, type: m.type })),
  };
}
