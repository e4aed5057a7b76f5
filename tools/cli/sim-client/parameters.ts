// `--set name=value` arguments as therapy.program takes them: integers, true/false, or a word
// (a mode, an activity threshold). The device checks every value against its grid.
import type { CborValue } from '../../../modules/core/cbor.js';
import { UsageError } from '../args.js';

export function parameterChanges(sets: string[] | undefined): Map<string, CborValue> {
  if (!sets?.length) throw new UsageError('give at least one --set name=value (e.g. --set lrl=70)');
  const changes = new Map<string, CborValue>();
  for (const set of sets) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(set);
    if (!match) throw new UsageError(`--set takes name=value, got "${set}"`);
    const [, name, raw] = match;
    if (changes.has(name)) throw new UsageError(`--set ${name} given twice`);
    changes.set(name, /^-?\d+$/.test(raw) ? Number(raw) : raw === 'true' ? true : raw === 'false' ? false : raw);
  }
  return changes;
}

/** One "name: value" line per field of a result object. */
export function textOf(value: unknown, indent = ''): string {
  if (typeof value !== 'object' || value === null) return `${indent}${String(value)}`;
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? `${indent}${k}:\n${textOf(v, `${indent}  `)}` : `${indent}${k}: ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`))
    .join('\n');
}
