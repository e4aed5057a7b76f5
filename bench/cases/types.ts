// The shape of a benchmark case. Every file bench/cases/<concern>.ts exports
// `cases: BenchCase[]`; `npm run bench` runs each case in the XS engine (computrons, live heap
// slots, wall time) and on Node (wall time). Case files are portable code: they run inside XS,
// so they import only portable modules (and "noble" / modules/crypto providers), never node:*.

export interface BenchCase<State = unknown> {
  /** Stable row name in bench/results.json, `<primitive>.<operation>[.<size>]`, e.g. `x25519.shared`. */
  readonly name: string;
  /**
   * Builds the fixed inputs once (keys, messages, objects under test). Not measured. Use fixed
   * bytes, not randomness, so that every run does the same work.
   */
  setup?: () => State;
  /**
   * One operation on the state from setup. Measured: computrons and wall time per call, and
   * the live heap slots left after a collection once the first call has run (so tables built
   * on first use count). Return the result so that the work cannot be optimised away.
   */
  run: (state: State) => unknown;
}

/** Declares a case with its state type inferred from `setup`. */
export function benchCase<State>(c: BenchCase<State>): BenchCase {
  return c as BenchCase;
}
