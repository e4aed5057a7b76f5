// The therapy service: operating states (spec §3.6), permanent and temporary parameter sets,
// Pace-Now, power-on reset and the safe-mode latch, battery limits (§4.4), markers and counters.
// It owns one PacingEngine at a time and replaces it with a POR engine after any fault.
import type { Clock } from '../core/clock.js';
import { Counters } from './counters.js';
import type { CountersReport } from './counters.js';
import { PacingEngine, parameterChecksum } from './engine.js';
import type { EngineStatus } from './engine.js';
import type { Chamber, MarkerType } from './markers.js';
import { ignoredParameters } from './applicability.js';
import { isTemporaryOnly, lettersOf } from './modes.js';
import type { Mode } from './modes.js';
import type { PaceTimer } from './pace-timer.js';
import { NOMINAL, PACE_NOW, POR } from './params.js';
import type { PacingParameters } from './params.js';
import { SPEC_RULES } from './rules.js';
import type { BatteryLevel, TimingRules } from './rules.js';
import { applyChanges } from './validate.js';
import type { ParameterError } from './validate.js';

/** Operating states, mutually exclusive (§3.6); 'safe' is the latched firmware-fault state (three resets in the window). */
export type TherapyState = 'por' | 'safe' | 'permanent' | 'temporary' | 'pace-now';

/** Resets (boots, exceptions, integrity failures) within this window latch safe mode (Boston: 3 in 48 h). */
export const SAFE_MODE_RESETS = 3;
export const SAFE_MODE_WINDOW_MS = 48 * 3600 * 1000;
const RESET_LOG_LENGTH = 16;

/**
 * Parameter errors, refusals by state, 'bad-message' for requests the protocol layer rejects, and
 * 'unavailable' from the main side when the therapy machine did not answer or has died.
 */
export type TherapyErrorCode = ParameterError['code'] | 'safe-mode' | 'battery' | 'integrity' | 'state' | 'bad-message' | 'unavailable';

export interface TherapyError {
  readonly code: TherapyErrorCode;
  readonly parameter?: string;
  readonly message: string;
}

export type TherapyResult<T = undefined> = { ok: true; value: T } | { ok: false; error: TherapyError };

/** The answer to an accepted programming: the parameters it named that have no effect in its mode. */
export interface ProgramReply {
  ignored: string[];
}

export interface ResetEntry {
  readonly t: number;
  readonly reason: string;
}

export interface Interrogation {
  state: TherapyState;
  battery: BatteryLevel;
  permanent: PacingParameters;
  temporary: PacingParameters | null;
  engine: EngineStatus;
  counters: CountersReport;
  resets: ResetEntry[];
}

/** Where paces go: a pace timer the engine arms (the device's hardware), or a function a ClockPaceTimer calls on time. */
export type PaceOutput = { paceTimer: PaceTimer } | { pace(chamber: Chamber, amplitudeMv: number, widthUs: number): void };

export type TherapyIO = PaceOutput & {
  marker(t: number, type: MarkerType): void;
};

export interface TherapyOptions {
  /** Why this boot happened, for the reset log. */
  bootReason?: string;
  /**
   * Called when even a fresh POR engine cannot start (it faults while starting): this machine
   * cannot pace, so its owner should fall silent and let the main machine's backup pacer take over.
   */
  onFatal?: (reason: string) => void;
  rules?: TimingRules;
}

/** Single-chamber, non-rate-adaptive modes: all that ERT and ERP batteries allow (§4.4, Table 3). */
function allowedAtLowBattery(mode: Mode): boolean {
  const l = lettersOf(mode);
  return !l.rateAdaptive && l.paced !== 'D' && l.sensed !== 'D';
}

function lowBatteryMode(mode: Mode): Mode {
  if (allowedAtLowBattery(mode)) return mode;
  return lettersOf(mode).paced === 'A' ? 'AAI' : 'VVI';
}

export class Therapy {
  private engine!: PacingEngine;
  private state: TherapyState = 'por';
  /** Factory state: the nominals, though a boot paces at the POR values until this set is restored or programmed. */
  private permanent: PacingParameters = { ...NOMINAL };
  private temporary: PacingParameters | null = null;
  private battery: BatteryLevel = 'BOL';
  private magnet = false;
  private activity = 0;
  private readonly counters = new Counters();
  private readonly resets: ResetEntry[] = [];
  /** This machine's resets inside the window (times on its clock). */
  private readonly recentResets: number[] = [];
  /** Resets before this boot inside the window, as the main side counted them, and when it told. */
  private priorResets = 0;
  private priorAt = 0;
  private readonly rules: TimingRules;
  private readonly onFatal: (reason: string) => void;
  private starting = false;

  constructor(private readonly clock: Clock, private readonly io: TherapyIO, options: TherapyOptions = {}) {
    this.rules = options.rules ?? SPEC_RULES;
    this.onFatal = options.onFatal ?? (() => {});
    this.reset(options.bootReason ?? 'boot');
  }

  // ---- inputs ---------------------------------------------------------------------------------

  sense(chamber: Chamber): void {
    this.engine.sense(chamber);
  }

  setMagnet(present: boolean): void {
    this.magnet = present;
    this.engine.setMagnet(present);
  }

  setActivity(level: number): void {
    this.activity = level;
    this.engine.setActivity(level);
  }

  setBattery(level: BatteryLevel): void {
    this.battery = level;
    this.engine.setBattery(level);
    if (level !== 'ERT' && level !== 'ERP') return;
    this.temporary = null;
    if (!allowedAtLowBattery(this.permanent.mode)) {
      this.permanent = { ...this.permanent, mode: lowBatteryMode(this.permanent.mode) };
    }
    if (this.state === 'temporary' || this.state === 'permanent') this.enter('permanent', this.permanent);
  }

  // ---- programming ----------------------------------------------------------------------------

  /**
   * The main side restores the permanent set it keeps in storage; `checksum` is parameterChecksum
   * of that set as written. A mismatch (or the safe-mode latch) keeps POR pacing.
   */
  restore(params: unknown, checksum: number): TherapyResult<ProgramReply> {
    if (this.state === 'safe') return this.fail('safe-mode', 'safe mode is latched until a clinician clears it');
    const checked = applyChanges(POR, params, true);
    if (!checked.ok) return { ok: false, error: checked.error };
    if (parameterChecksum(checked.params) !== checksum) {
      this.logReset('integrity: stored parameters failed their checksum');
      return this.fail('integrity', 'stored parameters failed their checksum');
    }
    return this.program('permanent', checked.params);
  }

  /**
   * Programs a partial change of the permanent or temporary set. Rejected changes alter nothing.
   * An accepted one answers which of the named parameters have no effect in the set's mode (Table 6).
   */
  program(target: 'permanent' | 'temporary', changes: unknown): TherapyResult<ProgramReply> {
    if (this.state === 'safe') return this.fail('safe-mode', 'safe mode is latched until a clinician clears it');
    const lowBattery = this.battery === 'ERT' || this.battery === 'ERP';
    if (target === 'temporary' && lowBattery) return this.fail('battery', 'temporary programming is disabled at ERT');
    const base = target === 'temporary' ? (this.temporary ?? this.permanent) : this.permanent;
    const checked = applyChanges(base, changes);
    if (!checked.ok) return { ok: false, error: checked.error };
    if (lowBattery && !allowedAtLowBattery(checked.params.mode)) {
      return this.fail('battery', 'only single-chamber, non-rate-adaptive modes at ERT', 'mode');
    }
    if (target === 'permanent' && isTemporaryOnly(checked.params.mode)) {
      return this.fail('state', `${checked.params.mode} is a temporary-only mode (§3.5)`, 'mode');
    }
    if (target === 'permanent') {
      this.permanent = checked.params;
      if (this.state !== 'temporary') this.enter('permanent', this.permanent);
    } else {
      this.temporary = checked.params;
      this.enter('temporary', this.temporary);
    }
    return { ok: true, value: { ignored: ignoredParameters(changes as Record<string, unknown>, checked.params) } };
  }

  /** Ends temporary operation (DCM cancel, or the telemetry session ended, §3.6.2). */
  endTemporary(): TherapyResult {
    if (this.state !== 'temporary') return this.fail('state', 'no temporary parameters in force');
    this.temporary = null;
    this.enter('permanent', this.permanent);
    return { ok: true, value: undefined };
  }

  sessionEnded(): void {
    if (this.state === 'temporary') this.endTemporary();
  }

  /** Emergency VVI pacing (§3.6.3), applied at once; it ends temporary operation and lasts until the DCM changes the mode. */
  paceNow(): TherapyResult {
    if (this.state === 'safe') return this.fail('safe-mode', 'safe mode already paces VVI at the POR values');
    this.temporary = null;
    this.state = 'pace-now';
    this.io.marker(this.clock.now(), 'PACE-NOW');
    this.engine.applyNow(PACE_NOW);
    return { ok: true, value: undefined };
  }

  /**
   * The main side's persistent reset history, which arrives after pacing started (therapy never
   * waits on storage): `prior` resets before this boot inside the window, and whether the latch
   * was set before. Either completing the rule latches safe mode now.
   */
  resetHistory(prior: number, latched: boolean): TherapyResult {
    this.priorResets = prior;
    this.priorAt = this.clock.now();
    if (latched || this.resetsInWindow() >= SAFE_MODE_RESETS) this.latchSafeMode();
    return { ok: true, value: undefined };
  }

  /** A clinician clears the safe-mode latch: therapy stays at the POR values until programmed. */
  clearSafeMode(): TherapyResult {
    if (this.state !== 'safe') return this.fail('state', 'safe mode is not latched');
    this.recentResets.length = 0;
    this.priorResets = 0;
    this.state = 'por';
    return { ok: true, value: undefined };
  }

  resetCounters(): void {
    this.counters.reset();
  }

  interrogate(): Interrogation {
    return {
      state: this.state,
      battery: this.battery,
      permanent: { ...this.permanent },
      temporary: this.temporary ? { ...this.temporary } : null,
      engine: this.engine.status(),
      counters: this.counters.report(),
      resets: this.resets.slice(),
    };
  }

  /** Time of the last ventricular event, for the main side's backup pacer should this machine die. */
  lastVentricularEvent(): number | undefined {
    return this.engine.status().lastVentricularEvent;
  }

  // ---- internals ------------------------------------------------------------------------------

  private fail<T = undefined>(code: TherapyErrorCode, message: string, parameter?: string): TherapyResult<T> {
    return { ok: false, error: parameter === undefined ? { code, message } : { code, parameter, message } };
  }

  private enter(state: TherapyState, params: PacingParameters): void {
    this.state = state;
    this.engine.program(params);
  }

  private logReset(reason: string): void {
    const t = this.clock.now();
    this.resets.push({ t, reason });
    if (this.resets.length > RESET_LOG_LENGTH) this.resets.shift();
    this.recentResets.push(t);
  }

  private resetsInWindow(): number {
    const t = this.clock.now();
    while (this.recentResets.length && t - this.recentResets[0] > SAFE_MODE_WINDOW_MS) this.recentResets.shift();
    const prior = t - this.priorAt <= SAFE_MODE_WINDOW_MS ? this.priorResets : 0;
    return prior + this.recentResets.length;
  }

  /** Safe mode: POR values until a clinician clears it; the running engine switches at its next boundary. */
  private latchSafeMode(): void {
    if (this.state === 'safe') return;
    const atPor = this.state === 'por';
    this.state = 'safe';
    this.temporary = null;
    this.io.marker(this.clock.now(), 'SAFE');
    if (!atPor) this.engine.program(POR);
  }

  /** Power-on reset: a fresh engine at the POR values, pacing one LRI from now (§3.6.5). */
  private reset(reason: string): void {
    this.engine?.stop();
    this.logReset(reason);
    if (this.starting) return this.onFatal(reason);
    this.temporary = null;
    // Only a clinician opens the latch: a later reset keeps it, however old the resets that set it.
    this.state = this.state === 'safe' || this.resetsInWindow() >= SAFE_MODE_RESETS ? 'safe' : 'por';
    const io = this.io;
    this.engine = new PacingEngine(this.clock, {
      pace: (chamber, amplitude, width) => 'pace' in io && io.pace(chamber, amplitude, width),
      marker: (t, type) => {
        this.counters.record(t, type);
        this.io.marker(t, type);
      },
      fault: (why) => this.reset(why),
    }, POR, this.rules, 'paceTimer' in io ? io.paceTimer : undefined);
    this.engine.setBattery(this.battery);
    this.engine.setMagnet(this.magnet);
    this.engine.setActivity(this.activity);
    this.io.marker(this.clock.now(), this.state === 'safe' ? 'SAFE' : 'POR');
    this.starting = true;
    this.engine.start();
    this.starting = false;
  }
}
