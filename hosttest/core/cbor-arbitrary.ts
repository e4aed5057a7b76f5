// fast-check generator of values in the firmware's CBOR subset, shared by the CBOR tests and the
// channel fuzz script.
import fc from 'fast-check';
import { CborTag } from '../../modules/core/cbor.js';
import type { CborKey, CborValue } from '../../modules/core/cbor.js';

const integer = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(1n << 64n), max: (1n << 64n) - 1n }),
);
const key: fc.Arbitrary<CborKey> = fc.oneof(fc.maxSafeInteger(), fc.string({ maxLength: 8, unit: 'grapheme' }));

export const cborValue: fc.Arbitrary<CborValue> = fc.letrec<{ value: CborValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    integer,
    fc.string({ maxLength: 24, unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 40 }),
    fc.constantFrom<CborValue>(true, false, null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => new Map(entries)),
    fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), tie('value')).map(([t, v]) => new CborTag(t, v)),
  ),
})).value;

/** The value a decoder returns for `v`: integers in the safe range become numbers. */
export function normalize(v: CborValue): CborValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, normalize(x)]));
  if (v instanceof CborTag) return new CborTag(v.tag, normalize(v.value));
  return v;
}
