// The engine side of the benchmark harness, bundled with every case file and evaluated in XS
// (by xsnap) and in a Node vm context. It keeps each case's state and runs operations on
// command; bench/run.mjs does the measuring. The seeded RNG is installed before this module
// (and noble) load, so blinding is on and every run does the same work.
import type { BenchCase } from './cases/types.js';

export interface BenchEngine {
  names(): string[];
  setup(name: string): void;
  /** Runs the case's operation `count` times and returns the elapsed milliseconds. */
  loop(name: string, count: number): number;
}

/** A case that does nothing, to subtract the harness's own per-call cost. */
export const NOOP = '__noop';

export function makeEngine(files: Record<string, readonly BenchCase[]>): BenchEngine {
  const cases = new Map<string, BenchCase>();
  for (const [file, list] of Object.entries(files)) {
    for (const c of list) {
      if (cases.has(c.name)) throw new Error(`bench: case ${c.name} defined twice (again in ${file})`);
      cases.set(c.name, c);
    }
  }
  cases.set(NOOP, { name: NOOP, run: (state) => state });
  const states = new Map<string, unknown>();
  const find = (name: string) => {
    const c = cases.get(name);
    if (!c) throw new Error(`bench: no case ${name}`);
    return c;
  };
  return {
    names: () => [...cases.keys()].filter((n) => n !== NOOP),
    setup(name) {
      const c = find(name);
      states.set(name, c.setup ? c.setup() : undefined);
    },
    loop(name, count) {
      const c = find(name);
      const state = states.get(name);
      const start = performance.now();
      for (let i = 0; i < count; i++) c.run(state);
      return performance.now() - start;
    },
  };
}
