// Structure-aware mutations shared by the fuzz properties: a valid object with a few bytes
// changed, cut short or extended, so that the fuzzer probes inputs near what parsers accept as
// well as random bytes.
import fc from 'fast-check';

/** Byte edits (position, new value), cuts and appended bytes. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

export type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

export function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let out = bytes.slice();
  for (const e of edits) {
    if (e.kind === 'set' && out.length) out[e.at % out.length] = e.value;
    else if (e.kind === 'cut' && out.length) out = out.slice(0, e.at % out.length);
    else if (e.kind === 'append') out = Uint8Array.from([...out, ...e.bytes]);
  }
  return out;
}

/** One of `valids` mutated, or random bytes of up to `maxLength`. */
export function nearValid(valids: readonly Uint8Array[], maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...valids), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([v, e]) => applyEdits(v, e)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength }) },
  );
}

export function fail(message: string): never {
  throw new Error(message);
}
