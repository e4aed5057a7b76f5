// Observes noble's use of the random source: swaps `globalThis.crypto` for a wrapper that
// records each getRandomValues request, runs `fn`, and restores the original. Portable.

export function randomRequestsDuring(fn: () => unknown): number[] {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const source = (globalThis as { crypto?: { getRandomValues<T extends ArrayBufferView | null>(a: T): T } }).crypto;
  if (!source) throw new Error('no globalThis.crypto to observe');
  const requests: number[] = [];
  const observed = Object.freeze({
    getRandomValues<T extends ArrayBufferView | null>(array: T): T {
      requests.push(array ? array.byteLength : 0);
      return source.getRandomValues(array);
    },
  });
  Object.defineProperty(globalThis, 'crypto', { value: observed, configurable: true, writable: true });
  try {
    fn();
  } finally {
    if (original) Object.defineProperty(globalThis, 'crypto', original);
    else delete (globalThis as { crypto?: unknown }).crypto;
  }
  return requests;
}
