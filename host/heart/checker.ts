// An independent checker of the marker trace against the properties in the pacing reference
// (Jiang et al. J1–J6, the cs705 refractory monitors, spec §5 timing, magnet §3.7, POR §3.6.5).
// It shares no timing code with the engine: it re-derives every bound from the programmed
// parameters and the markers alone, and names the property and time of each violation.
import { isMarkerType } from '../../modules/therapy/markers.js';
import type { Marker } from '../../modules/therapy/markers.js';
import { PACE_NOW, POR } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { TimedEvent } from './scenario.js';

export const PROPERTIES = Object.freeze([
  'markers', 'lower-rate', 'upper-rate', 'runaway', 'av-interval', 'atrial-escape', 'refractory', 'mode-semantics',
  'pmt', 'mode-switch', 'pvarp-extension', 'rate-smoothing', 'magnet', 'reset-pacing', 'atomic-change',
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
  /** Scenario inputs: magnet and battery changes matter to the checker. */
  inputs: TimedEvent[];
}

// Constants of the checked design, restated here from docs/therapy.md rather than imported.
const RUNAWAY_MS = 293;
const NOISE_WINDOW_MS = 125;
const TRIGGER_WINDOW_MS = 10;
const POR_FIRST_PACE_MS = 1000;
const PMT_RUN_LIMIT = 10;
const ATR_SUSTAINED_SENSES = 24;

const ms = (ppm: number): number => Math.round(60000 / ppm);

interface Letters { paced: string; sensed: string; response: string; r: boolean }

function decode(mode: string): Letters {
  if (mode === 'Off') return { paced: 'O', sensed: 'O', response: 'O', r: false };
  return { paced: mode[0], sensed: mode[1], response: mode[2], r: mode.length === 4 };
}
const has = (letter: string, chamber: 'A' | 'V'): boolean => letter === chamber || letter === 'D';

function channel(type: string): 'A' | 'V' | 'aug' | 'state' {
  if (['AS', 'AP', 'AR', 'AN'].includes(type)) return 'A';
  if (['VS', 'VP', 'VR', 'VN', 'PVC'].includes(type)) return 'V';
  if (['ATR-Dur', 'ATR-FB', 'ATR-End', 'PVP', 'PMT'].includes(type)) return 'aug';
  return 'state';
}

type Kind = 'start' | 'pace' | 'sense' | 'pvc';

interface Cycle {
  t: number;
  kind: Kind;
  index: number;
  finalized: boolean;
  pvp: boolean;
  pmt: boolean;
  // bounds, filled by finalize()
  minEscape: number;
  maxEscape: number;
  upper: number;
  trackingLimit: number;
  pav: number;
  sav: number;
  vrp: number;
  arp: number;
  pvarp: number;
  smoothedDown: boolean;
}

class TraceChecker {
  readonly violations: Violation[] = [];
  private p: PacingParameters = { ...POR };
  private programIndex = 0;
  private magnet = false;
  private atr: 'idle' | 'duration' | 'fallback' = 'idle';
  private atrVCount = 0;
  private atrOnset = 0;
  private paceNowPending = false;
  private cycle: Cycle;
  private cycleIndex = 0;
  private lastExtensionCycle = -2;
  private prev: number | undefined;
  private atrialEvent: { t: number; type: 'AS' | 'AP' } | null = null;
  private atrialActivity = false;
  private lastSense = { A: -Infinity, V: -Infinity };
  private lastPace = { A: -Infinity, V: -Infinity };
  private lastAtrialSenseForAtr = -Infinity;
  private fastAtrialRun = 0;
  private pmtRun = 0;
  private trigger: { chamber: 'A' | 'V'; by: number } | null = null;
  private deadlines: { by: number; property: Property; what: string }[] = [];
  private lastT = -Infinity;
  /** Ends of the refractory windows, started at boundaries as the timing base dictates (VRP and PVARP at V-timed ones). */
  private windows = { vrpEnd: -Infinity, pvarpEnd: -Infinity, arpEnd: -Infinity };
  private lastChannelT = { A: -Infinity, V: -Infinity, aug: -Infinity };
  private inputIndex = 0;
  private battery: string = 'BOL';
  private magnetInput = false;
  private reported = new Set<string>();

  constructor(private readonly o: CheckOptions) {
    this.cycle = this.newCycle(0, 'start');
  }

  private fail(property: Property, t: number, message: string): void {
    this.violations.push({ property, t_ms: t, message });
  }

  /** Reports a recurring condition once per key. */
  private failOnce(key: string, property: Property, t: number, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.fail(property, t, message);
  }

  private effective(): Letters {
    const l = decode(this.p.mode);
    if (this.magnet) return { paced: l.paced, sensed: 'O', response: 'O', r: false };
    if (this.atr === 'fallback') return { paced: 'V', sensed: 'V', response: 'I', r: l.r };
    return l;
  }

  private atrialTimed(): boolean {
    return this.effective().paced === 'A';
  }

  private tracking(): boolean {
    const l = this.effective();
    return l.response === 'D' && has(l.sensed, 'A') && has(l.paced, 'V');
  }

  private newCycle(t: number, kind: Kind): Cycle {
    return {
      t, kind, index: ++this.cycleIndex, finalized: false, pvp: false, pmt: false,
      minEscape: 0, maxEscape: Infinity, upper: 0, trackingLimit: 0, pav: 0, sav: 0, vrp: 0, arp: 0, pvarp: 0, smoothedDown: false,
    };
  }

  // ---- inputs ---------------------------------------------------------------------------------

  private consumeInputs(t: number): void {
    const inputs = this.o.inputs;
    while (this.inputIndex < inputs.length && inputs[this.inputIndex].atMs <= t) {
      const e = inputs[this.inputIndex++];
      if (e.type === 'battery') this.battery = e.level;
      if (e.type !== 'magnet' || e.present === this.magnetInput) continue;
      this.magnetInput = e.present;
      if (!this.p.magnetResponse) continue;
      const by = e.atMs + this.cycle.maxEscape + this.o.toleranceMs;
      this.deadlines = this.deadlines.filter((d) => d.property !== 'magnet');
      this.deadlines.push({ by, property: 'magnet', what: e.present ? 'MAG-ON' : 'MAG-OFF' });
    }
  }

  private checkDeadlines(t: number): void {
    for (const d of this.deadlines) if (t > d.by) this.fail(d.property, d.by, `${d.what} expected by ${d.by} ms`);
    this.deadlines = this.deadlines.filter((d) => t <= d.by);
  }

  private meet(property: Property, what: string): void {
    this.deadlines = this.deadlines.filter((d) => !(d.property === property && d.what === what));
  }

  // ---- cycle bounds ---------------------------------------------------------------------------

  private finalize(): void {
    const c = this.cycle;
    if (c.finalized) return;
    c.finalized = true;
    this.bounds();
    const p = this.p;
    c.vrp = p.vrp;
    c.arp = p.arp;
    c.pvarp = p.pvarp;
    const expectPvp = c.kind === 'pvc' && p.pvarpExtension !== 0 && c.index - this.lastExtensionCycle >= 2 && !c.pmt;
    if (expectPvp !== c.pvp) {
      this.fail('pvarp-extension', c.t, expectPvp ? 'a PVC did not extend the PVARP' : 'PVARP extended without a PVC or within two cycles of the last');
    }
    if (c.pvp) {
      this.lastExtensionCycle = c.index;
      c.pvarp = p.pvarp + p.pvarpExtension;
    }
    if (c.pmt) c.pvarp = Math.max(p.pvarp, Math.min(500, ms(p.lrl) - p.avDelay));
    if (this.atrialTimed()) this.windows.arpEnd = c.t + c.arp;
    else {
      this.windows.vrpEnd = c.t + c.vrp;
      this.windows.pvarpEnd = c.t + c.pvarp;
    }
  }

  /** Escape, upper-rate and AV bounds of the current cycle under the parameters now in force. */
  private bounds(): void {
    const c = this.cycle;
    const p = this.p;
    const l = this.effective();
    const lri = ms(p.lrl);
    const uri = ms(p.url);
    c.upper = l.r ? Math.min(uri, ms(p.msr)) : uri;
    const afterSense = c.kind === 'sense' || c.kind === 'pvc';
    let base = lri;
    if (p.hysteresis !== 0 && afterSense && l.response !== 'O') base = Math.max(base, ms(p.hysteresis));
    if (this.magnet) {
      const magnetRate = this.battery === 'BOL' ? 100 : this.battery === 'ERN' ? 90 : 85;
      c.minEscape = c.maxEscape = ms(magnetRate);
    } else if (this.atr === 'fallback') {
      c.minEscape = c.upper;
      c.maxEscape = lri;
    } else {
      let exact = base;
      if (p.rateSmoothingDown !== 0 && this.prev !== undefined) {
        const smoothed = Math.floor((this.prev * (100 + p.rateSmoothingDown)) / 100);
        c.smoothedDown = smoothed < base;
        exact = Math.min(base, smoothed);
      }
      exact = Math.max(c.upper, exact);
      c.maxEscape = exact;
      c.minEscape = l.r ? c.upper : exact;
    }
    const imposed = this.magnet || this.atr === 'fallback';
    c.trackingLimit = uri;
    if (p.rateSmoothingUp !== 0 && this.prev !== undefined && !imposed) {
      c.trackingLimit = Math.max(uri, Math.ceil((this.prev * (100 - p.rateSmoothingUp)) / 100));
    }
    c.pav = p.avDelay;
    if (p.dynamicAv && this.prev !== undefined) c.pav = Math.min(p.avDelay, Math.max(p.minDynamicAv, Math.round((p.avDelay * this.prev) / lri)));
    c.sav = Math.max(30, c.pav + p.sensedAvOffset);
  }

  private boundary(t: number, kind: Kind): void {
    const interval = t - this.cycle.t;
    if (kind !== 'start' && kind !== 'pvc' && this.cycle.kind !== 'start') this.prev = interval;
    if (kind === 'start') this.prev = undefined;
    this.cycle = this.newCycle(t, kind);
    this.atrialEvent = null;
    this.atrialActivity = false;
    if (!this.atrialTimed() && this.atr === 'duration' && ++this.atrVCount > this.p.atrDuration + 2) {
      this.failOnce(`atr-fb-${this.atrOnset}`, 'mode-switch', t, `no ATR fallback ${this.p.atrDuration} cycles after ATR onset`);
    }
  }

  /** The interval ending at a timing-chamber event must not outlast the cycle's escape interval. */
  private notLate(t: number): void {
    const c = this.cycle;
    const interval = t - c.t;
    if (interval <= c.maxEscape + this.o.toleranceMs) return;
    const property = this.magnet ? 'magnet' : c.smoothedDown ? 'rate-smoothing' : 'lower-rate';
    this.fail(property, t, `interval ${interval} ms exceeds the escape interval ${c.maxEscape} ms`);
  }

  /** An escape pace must not come before the cycle's escape interval (inhibition, asynchronous timing). */
  private notEarly(t: number): void {
    const c = this.cycle;
    const interval = t - c.t;
    if (interval >= c.minEscape - this.o.toleranceMs) return;
    this.fail(this.magnet ? 'magnet' : 'mode-semantics', t, `pace ${interval} ms after the cycle start, before the escape interval ${c.minEscape} ms`);
  }

  // ---- markers --------------------------------------------------------------------------------

  feed(m: Marker): void {
    const { t, type } = m;
    if (!isMarkerType(type) || !Number.isInteger(t)) this.fail('markers', t, `malformed marker ${String(type)} at ${t}`);
    if (t < this.lastT) this.fail('markers', t, 'markers out of time order');
    this.lastT = t;
    const ch = channel(type);
    if (ch !== 'state') {
      if (this.lastChannelT[ch] === t) this.fail('markers', t, `two ${ch} markers in one ms`);
      this.lastChannelT[ch] = t;
    }
    if (!this.cycle.finalized && (t > this.cycle.t || ch === 'A' || ch === 'V')) this.finalize();
    this.consumeInputs(t);
    this.checkDeadlines(t);
    if (this.trigger && t > this.trigger.by) {
      this.fail('mode-semantics', this.trigger.by, 'a sense in a triggered mode did not trigger a pace');
      this.trigger = null;
    }
    if (ch === 'A' || ch === 'V') {
      if (type === 'AP' || type === 'VP') this.pace(ch, t);
      else this.sense(ch, t, type);
    } else {
      this.stateMarker(t, type);
    }
  }

  private atBoundary(t: number, property: Property, what: string): void {
    if (t !== this.cycle.t) this.fail(property, t, `${what} not at a cycle boundary`);
  }

  private stateMarker(t: number, type: string): void {
    this.applyState(t, type);
    // A pace triggered by the boundary's sense belongs to the old set or state: a change cancels it.
    if (['PRM', 'MAG-ON', 'MAG-OFF', 'ATR-FB', 'ATR-End'].includes(type)) this.trigger = null;
  }

  private applyState(t: number, type: string): void {
    switch (type) {
      case 'POR':
      case 'SAFE':
        this.p = { ...POR };
        this.magnet = false;
        this.atr = 'idle';
        this.trigger = null;
        this.cycleIndex = 0;
        this.lastExtensionCycle = -2;
        this.lastSense = { A: -Infinity, V: -Infinity };
        this.windows = { vrpEnd: -Infinity, pvarpEnd: -Infinity, arpEnd: -Infinity };
        this.boundary(t, 'start');
        // Therapy resumes: a pace, or a sense that inhibits it, within LRI + 1 s.
        this.deadlines.push({ by: t + ms(POR.lrl) + POR_FIRST_PACE_MS, property: 'reset-pacing', what: 'pace' });
        return;
      case 'PACE-NOW':
        this.paceNowPending = true;
        this.deadlines.push({ by: t + 2 * Math.max(this.cycle.maxEscape, ms(PACE_NOW.lrl)) + 500, property: 'reset-pacing', what: 'VP' });
        return;
      case 'PRM':
        if (this.paceNowPending) {
          this.paceNowPending = false;
          // Applied at once from the last boundary: the running cycle may end under either set's bounds.
          const { minEscape, maxEscape } = this.cycle;
          this.p = { ...PACE_NOW };
          this.atr = 'idle';
          this.prev = undefined;
          this.bounds();
          this.cycle.minEscape = Math.min(minEscape, this.cycle.minEscape);
          this.cycle.maxEscape = Math.max(maxEscape, this.cycle.maxEscape);
        } else {
          // Nothing paced or sensed (Off): a set applies at once and starts a cycle.
          const idle = this.effective().paced === 'O' && this.effective().sensed === 'O';
          if (idle) this.boundary(t, 'start');
          else this.atBoundary(t, 'atomic-change', 'parameter change');
          const next = this.o.programs[this.programIndex++];
          if (!next) return this.fail('atomic-change', t, 'a parameter set was applied that nobody programmed');
          this.p = { ...next };
        }
        this.prev = undefined;
        return;
      case 'MAG-ON':
      case 'MAG-OFF':
        this.atBoundary(t, 'magnet', type);
        if (!this.p.magnetResponse) this.fail('magnet', t, 'magnet response is programmed off');
        if ((type === 'MAG-ON') !== this.magnetInput) this.fail('magnet', t, `${type} without the magnet input`);
        this.meet('magnet', type);
        this.magnet = type === 'MAG-ON';
        this.prev = undefined;
        return;
      case 'ATR-Dur':
        this.atBoundary(t, 'mode-switch', type);
        this.atr = 'duration';
        this.atrVCount = 0;
        this.atrOnset = t;
        return;
      case 'ATR-FB':
        this.atBoundary(t, 'mode-switch', type);
        if (this.atr !== 'duration') this.fail('mode-switch', t, 'fallback without an ATR onset');
        this.atr = 'fallback';
        this.prev = undefined;
        return;
      case 'ATR-End':
        this.atBoundary(t, 'mode-switch', type);
        this.atr = 'idle';
        this.prev = undefined;
        return;
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

  private pace(ch: 'A' | 'V', t: number): void {
    const l = this.effective();
    const tol = this.o.toleranceMs;
    if (!has(l.paced, ch)) this.fail('mode-semantics', t, `${ch} paced in ${this.p.mode}`);
    if (t - this.lastPace[ch] < RUNAWAY_MS) this.fail('runaway', t, `${ch} paces ${t - this.lastPace[ch]} ms apart`);
    this.lastPace[ch] = t;
    this.meet('reset-pacing', 'pace');
    if (ch === 'V') this.meet('reset-pacing', 'VP');
    if (this.trigger && this.trigger.chamber === ch) {
      this.trigger = null;
      return;
    }
    const c = this.cycle;
    if (this.atrialTimed()) {
      if (ch === 'A') {
        this.notLate(t);
        this.notEarly(t);
        this.boundary(t, 'pace');
      }
      return;
    }
    if (ch === 'A') {
      if (this.atrialEvent) this.fail('mode-semantics', t, `AP after ${this.atrialEvent.type} in the same cycle`);
      const aei = t - c.t;
      if (aei < c.minEscape - c.pav - tol || aei > c.maxEscape - c.pav + tol) {
        this.fail(this.magnet ? 'magnet' : 'atrial-escape', t, `AP ${aei} ms after the V event, outside [${c.minEscape - c.pav}, ${c.maxEscape - c.pav}]`);
      }
      this.atrialEvent = { t, type: 'AP' };
      this.atrialActivity = true;
      return;
    }
    const interval = t - c.t;
    const upper = this.magnet ? Math.min(c.upper, c.minEscape) : c.upper;
    if (interval < upper - tol) this.fail('upper-rate', t, `VP ${interval} ms after the last V event, under the upper rate interval ${upper} ms`);
    this.notLate(t);
    const a = this.atrialEvent;
    if (a?.type === 'AP' && has(l.paced, 'A')) {
      const av = t - a.t;
      if (Math.abs(av - c.pav) > tol) this.fail('av-interval', t, `paced AV ${av} ms, expected ${c.pav} ms`);
    } else if (a?.type === 'AS' && this.tracking()) {
      const av = t - a.t;
      if (av < c.sav - tol && interval < c.minEscape - tol) this.fail('av-interval', t, `sensed AV ${av} ms under ${c.sav} ms`);
      if (interval < c.trackingLimit - tol) this.fail(c.trackingLimit > c.upper ? 'rate-smoothing' : 'upper-rate', t, `tracked VP ${interval} ms after the last V event, under ${c.trackingLimit} ms`);
      if (t > Math.max(a.t + c.sav, c.t + c.trackingLimit) + tol) this.fail('av-interval', t, `tracked VP late: AS at ${a.t}`);
    } else {
      this.notEarly(t);
    }
    this.checkPmtRun(t, interval, a?.type === 'AS');
    this.boundary(t, 'pace');
  }

  /** J5: with PMT protection on, no more than PMT_RUN_LIMIT consecutive tracked VPs at the upper rate. */
  private checkPmtRun(t: number, interval: number, trackedPace: boolean): void {
    if (!this.p.pmtProtection || !this.tracking()) {
      this.pmtRun = 0;
      return;
    }
    this.pmtRun = trackedPace && interval <= ms(this.p.url) + this.o.toleranceMs ? this.pmtRun + 1 : 0;
    if (this.pmtRun > PMT_RUN_LIMIT) this.failOnce(`pmt-${t - this.pmtRun}`, 'pmt', t, `more than ${PMT_RUN_LIMIT} consecutive VP cycles at the upper rate`);
  }

  private expectedClass(ch: 'A' | 'V', t: number): 'noise' | 'refractory' | 'sense' {
    if (t - this.lastSense[ch] < NOISE_WINDOW_MS) return 'noise';
    const w = this.windows;
    if (this.atrialTimed()) return ch === 'A' && t < w.arpEnd ? 'refractory' : 'sense';
    if (ch === 'V') return t < w.vrpEnd ? 'refractory' : 'sense';
    return t < w.pvarpEnd || this.atrialEvent !== null ? 'refractory' : 'sense';
  }

  private sense(ch: 'A' | 'V', t: number, type: string): void {
    const l = this.effective();
    const sensed = has(l.sensed, ch) || (ch === 'A' && this.atr === 'fallback');
    if (!sensed) return this.fail('mode-semantics', t, `${type} marked while ${this.p.mode} does not sense ${ch}`);
    if (ch === 'V' && this.atrialEvent?.type === 'AP' && t < this.atrialEvent.t + this.p.vBlanking) {
      this.fail('refractory', t, `${type} inside ventricular blanking`);
    }
    const expected = this.expectedClass(ch, t);
    this.lastSense[ch] = t;
    const actual = type === 'AN' || type === 'VN' ? 'noise' : type === 'AR' || type === 'VR' ? 'refractory' : 'sense';
    if (actual !== expected) {
      const c = this.cycle;
      const inExtension = ch === 'A' && (c.pvp || c.pmt) && t >= c.t + this.p.pvarp && t < this.windows.pvarpEnd;
      this.fail(inExtension ? 'pvarp-extension' : 'refractory', t, `${type} where a ${expected} sense was due`);
    }
    if (ch === 'A' && actual !== 'noise') {
      this.atrialRate(t);
      this.atrialActivity = true;
    }
    if (actual !== 'sense') {
      if (ch === 'A') this.pmtRun = 0;
      return;
    }
    const c = this.cycle;
    if (ch === 'A') {
      if (this.atrialTimed()) {
        this.meet('reset-pacing', 'pace');
        return this.timingSense(ch, t, 'sense');
      }
      if (!this.atrialEvent) this.atrialEvent = { t, type: 'AS' };
      return;
    }
    const pvc = has(l.sensed, 'A') && !this.atrialActivity;
    if (pvc !== (type === 'PVC')) this.fail('markers', t, `${type} marked, ${pvc ? 'PVC' : 'VS'} expected`);
    this.checkPmtRun(t, t - c.t, false);
    if (this.atrialTimed()) return;
    this.meet('reset-pacing', 'pace');
    this.meet('reset-pacing', 'VP'); // an inhibiting sense answers Pace-Now's deadline too
    this.timingSense(ch, t, pvc ? 'pvc' : 'sense');
  }

  private timingSense(ch: 'A' | 'V', t: number, kind: Kind): void {
    const c = this.cycle;
    this.notLate(t);
    if (this.effective().response === 'T' && t - c.t >= ms(this.p.url)) {
      this.trigger = { chamber: ch, by: t + TRIGGER_WINDOW_MS };
    }
    this.boundary(t, kind);
  }

  /** J6: sustained atrial senses faster than the URL must start ATR when it is on. */
  private atrialRate(t: number): void {
    const fast = t - this.lastAtrialSenseForAtr < ms(this.p.url);
    this.lastAtrialSenseForAtr = t;
    this.fastAtrialRun = fast ? this.fastAtrialRun + 1 : 0;
    const programmed = decode(this.p.mode);
    const tracking = programmed.response === 'D' && has(programmed.sensed, 'A');
    if (this.p.atrMode && tracking && !this.magnet && this.fastAtrialRun >= ATR_SUSTAINED_SENSES && this.atr === 'idle') {
      this.failOnce(`atr-onset-${Math.floor(t / 60000)}`, 'mode-switch', t, `${this.fastAtrialRun} consecutive fast atrial senses without ATR onset`);
    }
  }

  finish(endMs: number): void {
    this.consumeInputs(endMs);
    this.checkDeadlines(endMs);
    this.finalize();
    const l = this.effective();
    if (l.paced !== 'O' && endMs - this.cycle.t > this.cycle.maxEscape + this.o.toleranceMs) {
      this.fail('lower-rate', endMs, `no ${this.atrialTimed() ? 'atrial' : 'ventricular'} event since ${this.cycle.t} ms`);
    }
  }
}

export function checkTrace(markers: readonly Marker[], options: CheckOptions): CheckResult {
  const checker = new TraceChecker(options);
  for (const m of markers) checker.feed(m);
  checker.finish(options.endMs);
  return {
    verdict: checker.violations.length === 0 ? 'pass' : 'fail',
    violations: checker.violations,
    events: markers.map((m) => ({ t_ms: m.t, type: m.type })),
  };
}
