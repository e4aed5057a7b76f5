// The boards' random source as modules/crypto/native/random.c drives it, for the mc/ffi shim:
// whether the boot entropy source is on, and every call in order, so a test can check that no
// byte is drawn before a true source exists (the boot source, or the radio once it runs).

export type EntropyEvent = 'begin' | 'end' | 'fill';

export interface EntropyRecord {
  event: EntropyEvent;
  /** Whether the boot entropy source was on when the call was made. */
  bootSourceOn: boolean;
}

const listeners: ((record: EntropyRecord) => void)[] = [];
let bootSourceOn = false;

function record(event: EntropyEvent): void {
  for (const listener of listeners) listener({ event, bootSourceOn });
}

/** Calls `listener` on every native entropy call; returns a function that removes it. */
export function watchEntropy(listener: (record: EntropyRecord) => void): () => void {
  listeners.push(listener);
  return () => void listeners.splice(listeners.indexOf(listener), 1);
}

export const entropyModel = {
  begin(): number {
    record('begin');
    bootSourceOn = true;
    return 0;
  },
  end(): number {
    record('end');
    bootSourceOn = false;
    return 0;
  },
  fill(): void {
    record('fill');
  },
};
