// Assertions for portable tests: the same file runs under mocha on Node and inside the XS
// engine, where node:assert does not exist. Failures name what differed.
import { toHex } from '../../modules/core/bytes.js';

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return `bytes(${toHex(value)})`;
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? toHex(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
}

export function equal<T>(actual: T, expected: T, message = 'values differ'): void {
  if (!Object.is(actual, expected)) throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
}

function deepEq(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEq(v, b.get(k))) return false;
    return true;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function deepEqual(actual: unknown, expected: unknown, message = 'values differ'): void {
  if (!deepEq(actual, expected)) throw new AssertionError(`${message}: expected ${show(expected)}, got ${show(actual)}`);
}

export function bytesEqual(actual: Uint8Array, expected: Uint8Array, message = 'bytes differ'): void {
  deepEqual(actual, expected, message);
}

/** Asserts that `fn` throws; `match` checks the error's message (substring or RegExp) or its `code`. */
export function throws(fn: () => unknown, match?: string | RegExp | { code: string }, message = 'expected an exception'): Error {
  try {
    fn();
  } catch (error) {
    const e = error as Error & { code?: string };
    if (match !== undefined) {
      const good = typeof match === 'string' ? String(e.message).includes(match)
        : match instanceof RegExp ? match.test(String(e.message))
        : e.code === match.code;
      if (!good) throw new AssertionError(`${message}: wrong error ${e.name}: ${e.message}${e.code ? ` (code ${e.code})` : ''}`);
    }
    return e;
  }
  throw new AssertionError(message);
}
