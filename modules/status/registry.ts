// Every status code on the wire in one registry (docs/protocol.md, "Status codes"): the range
// each concern owns, its table (defined in the concern's own status.ts, where its codes are
// added), and the one reverse lookup that the console, the audit log, the programmer and the CLI
// use, so a refusal of any concern is named rather than logged as a bare number.
import { AccessStatus } from '../access/status.js';
import { UpdateStatus } from '../bootloader/status.js';
import { Status } from '../channel/status.js';
import { TherapyStatus } from '../therapy/status.js';

export interface StatusRange {
  readonly concern: 'channel' | 'access' | 'therapy' | 'update';
  readonly first: number;
  readonly last: number;
  readonly table: Readonly<Record<string, number>>;
}

export const STATUS_RANGES: readonly StatusRange[] = Object.freeze([
  Object.freeze({ concern: 'channel', first: 0, last: 31, table: Status }),
  Object.freeze({ concern: 'access', first: 32, last: 63, table: AccessStatus }),
  Object.freeze({ concern: 'therapy', first: 64, last: 95, table: TherapyStatus }),
  Object.freeze({ concern: 'update', first: 96, last: 127, table: UpdateStatus }),
] as const);

/** The name of a status code in its concern's table ('LOCKED_OUT', 'PARAMETER_RANGE', 'wrong-vendor'), or 'STATUS_<n>' if none defines it. */
export function statusName(code: number): string {
  const range = STATUS_RANGES.find((r) => code >= r.first && code <= r.last);
  for (const [name, value] of Object.entries(range?.table ?? {})) if (value === code) return name;
  return `STATUS_${code}`;
}
