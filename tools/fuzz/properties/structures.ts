// Structure-aware fuzzing of two container formats: COSE_Sign1 built element by element (tag,
// protected header map, unprotected header map, payload, signature, each valid or not), and the
// fragment stream of the framing layer with time passing between fragments, so the reassembly
// timeout and the dropping of a late message's leftovers are exercised (RFC 9052 §4.2, §3;
// docs/protocol.md "Framing").
import fc from 'fast-check';
import { encodeCbor, CborTag } from '../../../modules/core/cbor.js';
import type { CborMap, CborValue } from '../../../modules/core/cbor.js';
import { CoseError, decodeSign1 } from '../../../modules/core/cose.js';
import { fragmentMessage, MAX_MESSAGE_BYTES, Reassembler } from '../../../modules/channel/framing.js';
import type { FramedMessage, FramingErrorCode } from '../../../modules/channel/framing.js';
import { s as schemaOf, validateArgs } from '../../../modules/channel/schema.js';
import type { FieldSchema, Schema } from '../../../modules/channel/schema.js';
import { VirtualClock } from '../../../host/sim/virtual-clock.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail } from './mutate.js';
import { valueFor } from './schema-values.js';

const headerValue: fc.Arbitrary<CborValue> = fc.oneof(fc.constantFrom(-8, -7, 1, 0), fc.uint8Array({ maxLength: 10 }), fc.string({ maxLength: 4 }), fc.array(fc.integer({ min: -2, max: 5 }), { maxLength: 2 }));
const header: fc.Arbitrary<CborMap> = fc.array(fc.tuple(fc.constantFrom(1, 2, 3, 4, 5, -1, 33), headerValue), { maxLength: 4 })
  .map((entries) => new Map(entries) as CborMap);
const validProtected = fc.uint8Array({ minLength: 8, maxLength: 8 }).map((kid) => new Map<number, CborValue>([[1, -8], [4, kid]]) as CborMap);

const sign1Structure = fc.tuple(
  fc.constantFrom('tag18', 'untagged', 'tag98'),
  fc.oneof({ weight: 3, arbitrary: validProtected.map((h) => encodeCbor(h)) }, { weight: 2, arbitrary: header.map((h) => encodeCbor(h)) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }) }),
  fc.oneof({ weight: 3, arbitrary: fc.constant(new Map() as CborMap) }, { weight: 2, arbitrary: header }),
  fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ maxLength: 20 }) as fc.Arbitrary<CborValue> }, { weight: 1, arbitrary: fc.constantFrom<CborValue>(null, 'text', 7) }),
  fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }) as fc.Arbitrary<CborValue> }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 63, maxLength: 65 }) as fc.Arbitrary<CborValue> }),
  fc.integer({ min: 3, max: 5 }),
).map(([tag, prot, unprot, payload, signature, length]) => {
  const items: CborValue[] = [prot, unprot, payload, signature, 0].slice(0, length);
  const array: CborValue = items;
  return encodeCbor(tag === 'untagged' ? array : new CborTag(tag === 'tag18' ? 18 : 98, array));
});

const FRAMING_ERRORS = new Set<FramingErrorCode>(['oversize', 'out-of-order', 'timeout', 'unknown-type', 'malformed']);

/** Messages split at an MTU, with some fragments dropped or repeated and delays between them. */
const timedFragments = fc.array(fc.tuple(
  fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 23, max: 247 }),
  fc.constantFrom('whole', 'drop-one', 'repeat-one', 'cut'), fc.nat(), fc.integer({ min: 0, max: 6000 }),
), { minLength: 1, maxLength: 4 });

/** Any argument schema the schema language can express, a few levels deep. */
const anySchema: fc.Arbitrary<Schema> = fc.letrec<{ schema: Schema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.integer({ min: -5, max: 5 }), fc.nat(10)).map(([min, span]) => schemaOf.int(min, min + span)),
    fc.tuple(fc.nat(4), fc.nat(6)).map(([min, span]) => schemaOf.bytes(min + span, min)),
    fc.tuple(fc.nat(3), fc.nat(6)).map(([min, span]) => schemaOf.text(min + span, min)),
    fc.constant(schemaOf.bool()),
    fc.uniqueArray(fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 3 }).map((v) => schemaOf.enumOf(v)),
    fc.tuple(tie('schema'), fc.nat(2), fc.nat(3)).map(([items, min, span]) => schemaOf.array(items, min + span, min)),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), tie('schema'), fc.boolean()), { maxLength: 3 })
      .map((fields) => schemaOf.struct(Object.fromEntries(fields.map(([n, f, optional]) => [n, optional ? schemaOf.optional(f) : f])))),
  ),
})).schema;

/** Whether `value` satisfies `schema`, decided independently of validateArgs. */
function satisfies(schema: Schema, value: CborValue): boolean {
  switch (schema.kind) {
    case 'int': return typeof value === 'number' && Number.isInteger(value) && value >= schema.min && value <= schema.max;
    case 'bytes': return value instanceof Uint8Array && value.length >= schema.minLength && value.length <= schema.maxLength;
    case 'text': return typeof value === 'string' && new TextEncoder().encode(value).length >= schema.minLength && new TextEncoder().encode(value).length <= schema.maxLength;
    case 'bool': return typeof value === 'boolean';
    case 'enum': return (typeof value === 'string' || typeof value === 'number') && schema.values.includes(value);
    case 'array': return Array.isArray(value) && value.length >= schema.minItems && value.length <= schema.maxItems && value.every((v) => satisfies(schema.items, v));
    case 'struct': {
      if (!(value instanceof Map)) return false;
      for (const k of value.keys()) if (typeof k !== 'string' || !Object.prototype.hasOwnProperty.call(schema.fields, k)) return false;
      return Object.entries(schema.fields as Readonly<Record<string, FieldSchema>>).every(([name, f]) => f.kind === 'optional'
        ? !value.has(name) || satisfies(f.inner, value.get(name)!)
        : value.has(name) && satisfies(f as Schema, value.get(name)!));
    }
  }
}

const schemaValue: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -7, max: 17 }), fc.uint8Array({ maxLength: 11 }), fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), tie('v')), { maxLength: 4 }).map((e) => new Map(e) as CborMap),
  ),
})).v;

export const structureProperties: readonly FuzzProperty[] = [
  {
    name: 'command schema: any value against any schema is accepted exactly when it satisfies it, never an exception',
    property: () => fc.property(anySchema.chain((schema) => fc.tuple(fc.constant(schema), fc.oneof(valueFor(schema), schemaValue))), ([schema, value]) => {
      const result = validateArgs(schema, value);
      if (result.ok !== satisfies(schema, value)) fail(`validateArgs said ${result.ok} for a value that ${satisfies(schema, value) ? 'satisfies' : 'breaks'} the schema`);
      if (!result.ok && !result.path.startsWith('$')) fail('a refusal names no path');
    }),
  },
  {
    name: 'COSE_Sign1 built element by element decodes or gives a CoseError',
    property: () => fc.property(sign1Structure, (bytes) => {
      try {
        const sign1 = decodeSign1(bytes);
        if (sign1.signature.length !== 64) fail('a signature of the wrong length decoded');
      } catch (error) {
        if (!(error instanceof CoseError)) throw error;
      }
    }),
  },
  {
    name: 'framing with time between fragments: whole messages arrive exactly, the rest give defined errors',
    property: () => fc.property(timedFragments, (plan) => {
      const clock = new VirtualClock();
      const got: FramedMessage[] = [];
      const r = new Reassembler({ clock, onMessage: (m) => got.push(m), onError: (code) => FRAMING_ERRORS.has(code) || fail(`undefined error ${code}`) });
      const expected: Uint8Array[] = [];
      for (const [type, length, mtu, how, which, delay] of plan) {
        const body = new Uint8Array(length).map((_, i) => (i * 7 + length) & 0xff);
        let fragments = fragmentMessage(type, body, mtu);
        const k = which % fragments.length;
        if (how === 'drop-one' && fragments.length > 1) fragments = fragments.filter((_, i) => i !== k);
        else if (how === 'repeat-one') fragments = [...fragments.slice(0, k + 1), fragments[k], ...fragments.slice(k + 1)];
        else if (how === 'cut') fragments = fragments.slice(0, k);
        for (const f of fragments) {
          r.push(f, mtu);
          clock.advance(Math.floor(delay / Math.max(1, fragments.length)));
        }
        if (how === 'whole') expected.push(body);
      }
      clock.advance(10_000);
      if (r.busy) fail('a partial message outlived the reassembly timeout');
      for (const m of got) if (m.body.length > MAX_MESSAGE_BYTES) fail('oversized message delivered');
      // A stream of whole, prompt messages arrives exactly, in order.
      if (plan.every(([, , , how, , delay]) => how === 'whole' && delay < 1000)) {
        if (got.length !== expected.length || got.some((m, i) => m.body.length !== expected[i].length || m.body.some((b, j) => b !== expected[i][j]))) fail('whole messages did not arrive exactly');
      }
    }),
  },
];
