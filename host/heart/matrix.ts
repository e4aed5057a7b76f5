// The closed-loop matrix: scenarios × the spec's modes × seeds, each judged by the trace checker.
// A mode the engine does not accept is reported as such for every scenario, never skipped silently.
import { SPEC_MODES } from './checker/spec.js';
import type { SpecMode } from './checker/spec.js';
import type { Property } from './checker.js';
import { loadScenario, ModeNotAccepted, runClosedLoop } from './closed-loop.js';

export interface MatrixCell {
  scenario: string;
  mode: SpecMode;
  seed: number;
}

export interface MatrixFigures {
  runs: number;
  /** Markers the checker judged, over all runs. */
  eventsChecked: number;
  violations: number;
  failedRuns: { cell: MatrixCell; first: string }[];
  byProperty: Map<Property, number>;
  /** Modes of the spec the engine refused, with its reason. */
  notAccepted: Map<SpecMode, string>;
}

export function runMatrix(cells: Iterable<MatrixCell>, minutes: number): MatrixFigures {
  const figures: MatrixFigures = { runs: 0, eventsChecked: 0, violations: 0, failedRuns: [], byProperty: new Map(), notAccepted: new Map() };
  const scenarios = new Map<string, ReturnType<typeof loadScenario>>();
  for (const cell of cells) {
    if (figures.notAccepted.has(cell.mode)) continue;
    let scenario = scenarios.get(cell.scenario);
    if (!scenario) scenarios.set(cell.scenario, (scenario = loadScenario(cell.scenario)));
    let r;
    try {
      r = runClosedLoop({ scenario, mode: cell.mode, minutes, seed: cell.seed });
    } catch (error) {
      if (!(error instanceof ModeNotAccepted)) throw error;
      figures.notAccepted.set(cell.mode, error.message);
      continue;
    }
    figures.runs++;
    figures.eventsChecked += r.events.length;
    figures.violations += r.violations.length;
    for (const p of new Set(r.violations.map((v) => v.property))) figures.byProperty.set(p, (figures.byProperty.get(p) ?? 0) + 1);
    if (r.verdict === 'fail') {
      const v = r.violations[0];
      figures.failedRuns.push({ cell, first: `${v.property}@${v.t_ms} ms: ${v.message}` });
    }
  }
  return figures;
}

/** Every scenario × every given mode × seeds 1..seeds. */
export function* fullMatrix(scenarios: readonly string[], modes: readonly SpecMode[] = SPEC_MODES, seeds = 3): Generator<MatrixCell> {
  for (const scenario of scenarios) for (const mode of modes) for (let seed = 1; seed <= seeds; seed++) yield { scenario, mode, seed };
}

/** A small deterministic sample: each scenario in two modes and each mode in two scenarios, on rotating seeds. */
export function* sampledMatrix(scenarios: readonly string[], modes: readonly SpecMode[] = SPEC_MODES, seeds = 3): Generator<MatrixCell> {
  const seen = new Set<string>();
  const cell = (s: number, m: number): MatrixCell | null => {
    const c = { scenario: scenarios[s % scenarios.length], mode: modes[m % modes.length], seed: 1 + ((s * 7 + m * 3) % seeds) };
    const key = `${c.scenario}/${c.mode}`;
    if (seen.has(key)) return null;
    seen.add(key);
    return c;
  };
  const n = Math.max(scenarios.length, modes.length);
  for (let i = 0; i < n; i++) {
    for (const c of [cell(i, i), cell(i, i + Math.floor(modes.length / 2))]) if (c) yield c;
  }
}
