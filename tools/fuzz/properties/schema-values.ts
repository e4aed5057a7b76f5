// Values generated from a command's own argument schema (modules/channel/schema.ts): mostly
// valid, often at or just past a bound, sometimes of the wrong type; argument maps with fields
// left out and unknown ones added. Shared by the schema and the firmware fuzz properties.
import fc from 'fast-check';
import type { CborMap, CborValue } from '../../../modules/core/cbor.js';
import type { FieldSchema, Schema } from '../../../modules/channel/schema.js';

/** A small value of any CBOR type, for a field that expects another (kept small: the size limit is checked first). */
const smallWrongValue: fc.Arbitrary<CborValue> = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.uint8Array({ maxLength: 8 }), fc.constant(null), fc.array(fc.nat(), { maxLength: 3 }));

/** A value for a schema: mostly valid, sometimes just outside its bounds or of the wrong type. */
export function valueFor(schema: Schema): fc.Arbitrary<CborValue> {
  const wrong = smallWrongValue;
  const valid = ((): fc.Arbitrary<CborValue> => {
    switch (schema.kind) {
      case 'int': return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: schema.min, max: schema.max }) }, { weight: 1, arbitrary: fc.constantFrom(schema.min, schema.max, schema.min - 1, schema.max + 1) });
      case 'bytes': return fc.oneof(fc.uint8Array({ minLength: schema.minLength, maxLength: Math.min(schema.maxLength, 64) }), fc.uint8Array({ minLength: Math.max(0, schema.minLength - 1), maxLength: Math.min(schema.maxLength + 1, 300) }));
      case 'text': return fc.string({ minLength: Math.max(0, schema.minLength - 1), maxLength: Math.min(schema.maxLength + 1, 80) });
      case 'bool': return fc.boolean();
      case 'enum': return fc.oneof(fc.constantFrom(...schema.values), fc.string({ maxLength: 6 }));
      case 'array': return fc.array(valueFor(schema.items), { maxLength: Math.min(schema.maxItems + 1, 8) });
      case 'struct': return argsFor(schema.fields);
    }
  })();
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wrong });
}

/**
 * An argument map for a command's fields: a required field is nearly always there, an optional
 * one in one map of four (so a command with many optional fields is often valid as a whole), and
 * sometimes an unknown field is added.
 */
export function argsFor(fields: Readonly<Record<string, FieldSchema>>): fc.Arbitrary<CborValue> {
  const absent = fc.constant(null);
  const entries = Object.entries(fields).map(([name, f]) => (f.kind === 'optional'
    ? fc.oneof({ weight: 3, arbitrary: absent }, { weight: 1, arbitrary: valueFor(f.inner) })
    : fc.oneof({ weight: 1, arbitrary: absent }, { weight: 12, arbitrary: valueFor(f) })).map((v) => [name, v] as const));
  return fc.tuple(fc.tuple(...entries), fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), smallWrongValue) })).map(([present, extra]) => {
    const map: CborMap = new Map();
    for (const [name, v] of present) if (v !== null) map.set(name, v);
    if (extra) map.set(extra[0], extra[1] as CborValue);
    return map as CborValue;
  });
}

