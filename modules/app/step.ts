// How the composition root runs each start-up step: a step that throws is reported on the
// console and yields undefined, so the steps after it (and therapy, always) carry on.
import type { ConsoleTopic } from './console.js';

/** Writes one console line; `t` defaults to now on the firmware clock. */
export type Say = (topic: ConsoleTopic, text: string, t?: number) => void;

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs `step`; on an exception says "<what> failed: ..." as a fault and returns undefined. */
export function attempt<T>(say: Say, what: string, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    say('fault', `${what} failed: ${describeError(error)}`);
    return undefined;
  }
}
