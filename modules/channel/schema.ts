// A small declarative schema language for command arguments. A schema is a frozen plain object
// (safe to keep at module scope on a preloaded device); `validateArgs` checks a decoded CBOR
// value against it and returns a plain object typed by `Infer<S>`, or the path of the first fault.
// Everything a handler receives has passed these checks: it never sees an unexpected type,
// an out-of-range integer, an oversized string or an unknown field.
// @req SEC-16 (docs/traceability.md)
import type { CborMap, CborValue } from '../core/cbor.js';

export interface IntSchema {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
}
export interface BytesSchema {
  readonly kind: 'bytes';
  readonly minLength: number;
  readonly maxLength: number;
}
export interface TextSchema {
  readonly kind: 'text';
  /** Limits in UTF-8 bytes (the CBOR layer has already rejected invalid UTF-8). */
  readonly minLength: number;
  readonly maxLength: number;
}
export interface BoolSchema {
  readonly kind: 'bool';
}
export interface EnumSchema<V extends string | number = string | number> {
  readonly kind: 'enum';
  readonly values: readonly V[];
}
export interface ArraySchema<I extends Schema = Schema> {
  readonly kind: 'array';
  readonly items: I;
  readonly minItems: number;
  readonly maxItems: number;
}
export interface StructSchema<F extends Fields = Fields> {
  readonly kind: 'struct';
  readonly fields: F;
}
/** A field that may be absent (never null: absence is the only way to omit it). */
export interface OptionalSchema<S extends Schema = Schema> {
  readonly kind: 'optional';
  readonly inner: S;
}

export type Schema = IntSchema | BytesSchema | TextSchema | BoolSchema | EnumSchema | ArraySchema<any> | StructSchema<any>;
export type FieldSchema = Schema | OptionalSchema;
export type Fields = { readonly [name: string]: FieldSchema };

type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends OptionalSchema ? K : never }[keyof F];
type RequiredKeys<F extends Fields> = Exclude<keyof F, OptionalKeys<F>>;

/** The TypeScript type of a value that satisfies schema `S`. */
export type Infer<S> = S extends IntSchema ? number
  : S extends BytesSchema ? Uint8Array
  : S extends TextSchema ? string
  : S extends BoolSchema ? boolean
  : S extends EnumSchema<infer V> ? V
  : S extends ArraySchema<infer I> ? Infer<I>[]
  : S extends StructSchema<infer F> ? { [K in RequiredKeys<F>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: F[K] extends OptionalSchema<infer I> ? Infer<I> : never }
  : never;

/** Schema builders. Every bound is explicit: there is no unbounded string, array or integer. */
export const s = Object.freeze({
  int: (min: number, max: number): IntSchema => Object.freeze({ kind: 'int', min, max }),
  uint8: (): IntSchema => Object.freeze({ kind: 'int', min: 0, max: 0xff }),
  uint16: (): IntSchema => Object.freeze({ kind: 'int', min: 0, max: 0xffff }),
  uint32: (): IntSchema => Object.freeze({ kind: 'int', min: 0, max: 0xffffffff }),
  bytes: (maxLength: number, minLength = 0): BytesSchema => Object.freeze({ kind: 'bytes', minLength, maxLength }),
  text: (maxLength: number, minLength = 0): TextSchema => Object.freeze({ kind: 'text', minLength, maxLength }),
  bool: (): BoolSchema => Object.freeze({ kind: 'bool' }),
  enumOf: <const V extends string | number>(values: readonly V[]): EnumSchema<V> => Object.freeze({ kind: 'enum', values: Object.freeze(values.slice()) }),
  array: <I extends Schema>(items: I, maxItems: number, minItems = 0): ArraySchema<I> => Object.freeze({ kind: 'array', items, minItems, maxItems }),
  struct: <const F extends Fields>(fields: F): StructSchema<F> => Object.freeze({ kind: 'struct', fields: Object.freeze(fields) }),
  optional: <S extends Schema>(inner: S): OptionalSchema<S> => Object.freeze({ kind: 'optional', inner }),
});

/** The empty argument struct, for commands without arguments. */
export const NO_ARGS = s.struct({});

export type Validation<T> = { ok: true; value: T } | { ok: false; path: string; reason: string };

class Invalid {
  constructor(readonly path: string, readonly reason: string) {}
}

function check(schema: Schema, value: CborValue, path: string): unknown {
  switch (schema.kind) {
    case 'int':
      if (typeof value !== 'number' || value < schema.min || value > schema.max) throw new Invalid(path, `integer in [${schema.min}, ${schema.max}]`);
      return value;
    case 'bytes':
      if (!(value instanceof Uint8Array) || value.length < schema.minLength || value.length > schema.maxLength) {
        throw new Invalid(path, `byte string of ${schema.minLength}..${schema.maxLength} bytes`);
      }
      return value;
    case 'text': {
      const size = typeof value === 'string' ? utf8Length(value) : -1;
      if (size < schema.minLength || size > schema.maxLength) throw new Invalid(path, `text of ${schema.minLength}..${schema.maxLength} UTF-8 bytes`);
      return value;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw new Invalid(path, 'boolean');
      return value;
    case 'enum':
      if ((typeof value !== 'string' && typeof value !== 'number') || !schema.values.includes(value)) {
        throw new Invalid(path, `one of ${schema.values.join(', ')}`);
      }
      return value;
    case 'array': {
      if (!Array.isArray(value) || value.length < schema.minItems || value.length > schema.maxItems) {
        throw new Invalid(path, `array of ${schema.minItems}..${schema.maxItems} items`);
      }
      return value.map((item, i) => check(schema.items, item, `${path}[${i}]`));
    }
    case 'struct':
      return checkStruct(schema, value, path);
  }
}

/** Length of `text` in UTF-8 bytes (the unit of every text bound in the protocol). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) (n += 4), i++; // a surrogate pair (CBOR-decoded text is always well formed)
    else n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

function checkStruct(schema: StructSchema, value: CborValue, path: string): Record<string, unknown> {
  if (!(value instanceof Map)) throw new Invalid(path, 'map with text keys');
  const fields = schema.fields as Fields;
  for (const key of (value as CborMap).keys()) {
    if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(fields, key)) throw new Invalid(`${path}.${String(key)}`, 'unknown field');
  }
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const field = fields[name];
    const present = value.has(name);
    if (field.kind === 'optional') {
      if (present) out[name] = check(field.inner, value.get(name)!, `${path}.${name}`);
    } else {
      if (!present) throw new Invalid(`${path}.${name}`, 'missing');
      out[name] = check(field, value.get(name)!, `${path}.${name}`);
    }
  }
  return out;
}

/** Validates decoded CBOR against `schema`; never throws. */
export function validateArgs<S extends Schema>(schema: S, value: CborValue): Validation<Infer<S>> {
  try {
    return { ok: true, value: check(schema, value, '$') as Infer<S> };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, path: error.path, reason: error.reason };
    throw error;
  }
}
