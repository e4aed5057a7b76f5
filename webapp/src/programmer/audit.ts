// Reading the audit log page by page (`access.audit.read`, clinician) and checking what the
// programmer can check from the wire: every entry decodes from its canonical bytes
// (modules/storage/audit-entry.ts), and the numbers run without a gap from the oldest entry the
// device still holds to its newest. The hash chain and MACs are checked by the device itself.
import type { CborValue } from '../../../modules/core/cbor.js';
import { decodeAuditEntry } from '../../../modules/storage/audit-entry.js';
import type { AuditEntry } from '../../../modules/storage/audit-entry.js';
import type { ImplantSession } from './session.js';

const PAGE = 16;

export interface AuditReading {
  readonly entries: AuditEntry[];
  readonly first: number;
  readonly next: number;
  /** True when every entry decoded and the sequence first..next-1 is complete. */
  readonly valid: boolean;
  readonly problems: string[];
}

/** Checks a read of the log: canonical decoding, order, no gap, no duplicate. */
export function verifyAuditRead(records: Uint8Array[], first: number, next: number): AuditReading {
  const problems: string[] = [];
  const entries: AuditEntry[] = [];
  records.forEach((bytes, i) => {
    const entry = decodeAuditEntry(bytes);
    if (!entry) problems.push(`record ${i + 1} is not a well-formed audit entry`);
    else entries.push(entry);
  });
  let expected = first;
  for (const e of entries) {
    if (e.seq !== expected) problems.push(e.seq < expected ? `entry ${e.seq} repeated or out of order` : `entries ${expected}..${e.seq - 1} missing`);
    expected = e.seq + 1;
  }
  if (expected !== next) problems.push(`entries ${expected}..${next - 1} missing at the end`);
  return { entries, first, next, valid: problems.length === 0, problems };
}

function field(result: CborValue, name: string): CborValue | undefined {
  return result instanceof Map ? result.get(name) : undefined;
}

export async function readAuditLog(session: ImplantSession, onPage?: (read: number, total: number) => void): Promise<AuditReading> {
  const records: Uint8Array[] = [];
  let from = 0;
  let first = 0;
  let next = 0;
  for (;;) {
    const result = await session.call('access.audit.read', { from, count: PAGE });
    first = Number(field(result, 'first'));
    next = Number(field(result, 'next'));
    const page = field(result, 'entries');
    const got = Array.isArray(page) ? page.filter((r): r is Uint8Array => r instanceof Uint8Array) : [];
    records.push(...got);
    onPage?.(records.length, next - first);
    if (got.length === 0 || Math.max(from, first) + got.length >= next) break;
    from = Math.max(from, first) + got.length;
  }
  return verifyAuditRead(records, first, next);
}
