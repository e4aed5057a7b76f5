// Drives the pacing engine directly on a virtual clock with generated sense streams (noise
// trains, crosstalk artefacts, retrograde P waves) instead of a heart model: each test states
// exactly which pulses reach which lead and when.
import { PacingEngine } from '../../modules/therapy/engine.js';
import type { Chamber, Marker, MarkerType } from '../../modules/therapy/markers.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import type { PacingParameters } from '../../modules/therapy/params.js';
import type { TimingRules } from '../../modules/therapy/rules.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

export interface Bench {
  clock: VirtualClock;
  engine: PacingEngine;
  markers: Marker[];
  /** Paces as delivered, by time. */
  paces: { t: number; chamber: Chamber }[];
  /** Runs `action` at virtual time `t`. */
  at(t: number, action: () => void): void;
  /** A pulse on `chamber`'s lead every `everyMs` from `fromMs` while before `toMs`. */
  train(chamber: Chamber, fromMs: number, toMs: number, everyMs: number): void;
  /** Calls `react` after every pace (a heart's response: capture artefacts, retrograde P waves). */
  onPace(react: (chamber: Chamber, t: number) => void): void;
  run(untilMs: number): void;
  times(types: readonly MarkerType[], fromMs?: number, toMs?: number): number[];
}

export function engineBench(changes: Partial<PacingParameters>, rules?: TimingRules): Bench {
  const clock = new VirtualClock(0);
  const markers: Marker[] = [];
  const paces: { t: number; chamber: Chamber }[] = [];
  const reactions: ((chamber: Chamber, t: number) => void)[] = [];
  const engine = new PacingEngine(clock, {
    pace: (chamber) => {
      paces.push({ t: clock.now(), chamber });
      for (const react of reactions) react(chamber, clock.now());
    },
    marker: (t, type) => markers.push({ t, type }),
    fault: (reason) => { throw new Error(`engine fault: ${reason}`); },
  }, { ...NOMINAL, ...changes }, rules);
  const at = (t: number, action: () => void): void => {
    clock.setTimeout(action, t - clock.now());
  };
  const bench: Bench = {
    clock, engine, markers, paces, at,
    train(chamber, fromMs, toMs, everyMs) {
      for (let t = fromMs; t < toMs; t += everyMs) at(t, () => engine.sense(chamber));
    },
    onPace(react) {
      reactions.push(react);
    },
    run(untilMs) {
      clock.runUntil(untilMs);
    },
    times(types, fromMs = -Infinity, toMs = Infinity) {
      return markers.filter((m) => types.includes(m.type) && m.t >= fromMs && m.t <= toMs).map((m) => m.t);
    },
  };
  engine.start();
  return bench;
}

/** Differences of consecutive values. */
export const gaps = (xs: readonly number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]);
