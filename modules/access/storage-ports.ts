// Access control's ports over the firmware's storage (modules/storage): monotonic counters for
// the lockout and the time floor, sealed bonds, the sealed device identity, the sealed trust
// state, and the hash-chained audit log. Everything is encoded here as deterministic CBOR.
import { toHex, utf8 } from '../core/bytes.js';
import { CborError, decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborValue } from '../core/cbor.js';
import { statusName } from '../status/registry.js';
import { encodeAuditEntry } from '../storage/audit-entry.js';
import { AuditRuns } from '../storage/audit-runs.js';
import type { CounterName } from '../storage/counters.js';
import type { Storage } from '../storage/storage.js';
import { KEY_ID_BYTES } from './key-id.js';
import { FAILURES_AT_SUCCESS_COUNTER, FAILURES_COUNTER } from './lockout.js';
import type { AccessAuditEvent, AuditReader, AuditSink, Bond, BondStore, CounterStore, DeviceIdentity, IdentityStore, StoredIdentity, TrustState, TrustStateLoad, TrustStateStore } from './ports.js';
import { TIME_FLOOR_COUNTER } from './trusted-time.js';

/** Access counters kept in storage's dedicated monotonic counters (`scale` converts units). */
const DEDICATED: Readonly<Record<string, { name: CounterName; scale: number }>> = Object.freeze({
  [FAILURES_COUNTER]: Object.freeze({ name: 'lockout', scale: 1 }),
  [FAILURES_AT_SUCCESS_COUNTER]: Object.freeze({ name: 'lockoutCleared', scale: 1 }),
  // storage's clock floor is in milliseconds since the Unix epoch; ours in seconds.
  [TIME_FLOOR_COUNTER]: Object.freeze({ name: 'clock', scale: 1000 }),
});

/** Item ids in storage's sealed `secrets` collection. */
const ALERTS_ID = 'access.alerts';
const TRUST_ID = 'access.trust';

function decode(bytes: Uint8Array | undefined): CborValue | undefined {
  if (!bytes) return undefined;
  try {
    return decodeCbor(bytes);
  } catch (error) {
    if (error instanceof CborError) return undefined;
    throw error;
  }
}

/**
 * Counters: the lockout pair and the time floor in storage's power-safe counters; the alert
 * counters (many, rarely written) together in one sealed record, each only ever raised.
 */
export class StorageCounters implements CounterStore {
  private readonly others: Map<string, number>;

  constructor(private readonly storage: Storage) {
    this.others = new Map();
    const saved = decode(storage.secrets.get(utf8(ALERTS_ID)));
    if (saved instanceof Map) for (const [k, v] of saved) if (typeof k === 'string' && typeof v === 'number') this.others.set(k, v);
  }

  read(name: string): number {
    const dedicated = DEDICATED[name];
    if (dedicated) return Math.floor(this.storage.counters.get(dedicated.name) / dedicated.scale);
    return this.others.get(name) ?? 0;
  }

  raise(name: string, value: number): void {
    const dedicated = DEDICATED[name];
    if (dedicated) {
      this.storage.counters.raise(dedicated.name, value * dedicated.scale);
      return;
    }
    if (value <= this.read(name)) return;
    const next = new Map(this.others);
    next.set(name, value);
    this.storage.secrets.put(utf8(ALERTS_ID), encodeCbor(next));
    this.others.set(name, value);
  }
}

export class StorageBonds implements BondStore {
  constructor(private readonly storage: Storage) {}

  list(): Bond[] {
    const out: Bond[] = [];
    for (const item of this.storage.bonds.list()) {
      const v = decode(item.value);
      if (!Array.isArray(v) || !(v[0] instanceof Uint8Array) || typeof v[1] !== 'number' || item.id.length !== KEY_ID_BYTES) continue;
      const seen = Array.isArray(v[2]) && v[2].every((n) => typeof n === 'number') ? { alertsSeen: v[2] as number[] } : {};
      out.push({ keyId: item.id, staticKey: v[0], bondedAt: v[1], ...seen });
    }
    return out;
  }

  add(bond: Bond): void {
    const fields: CborValue[] = [bond.staticKey, bond.bondedAt];
    if (bond.alertsSeen) fields.push(bond.alertsSeen.slice());
    this.storage.bonds.put(bond.keyId, encodeCbor(fields));
  }

  remove(keyId: Uint8Array): boolean {
    return this.storage.bonds.remove(keyId);
  }
}

export class StorageIdentity implements IdentityStore {
  constructor(private readonly storage: Storage) {}

  /** [staticSecret, staticPublic, certificate | null, irk]; records from before the IRK are [secret, public, certificate?]. */
  load(): StoredIdentity | undefined {
    const v = decode(this.storage.identity.get());
    if (!Array.isArray(v) || !(v[0] instanceof Uint8Array) || !(v[1] instanceof Uint8Array)) return undefined;
    const certificate = v[2] instanceof Uint8Array ? { certificate: v[2] } : {};
    const irk = v[3] instanceof Uint8Array ? { irk: v[3] } : {};
    return { staticSecret: v[0], staticPublic: v[1], ...certificate, ...irk };
  }

  save(identity: DeviceIdentity): void {
    const fields: CborValue[] = [identity.staticSecret, identity.staticPublic, identity.certificate ?? null, identity.irk];
    // Replacing is needed to add the certificate; the policy grants that to manufacturer + presence only.
    this.storage.identity.provision(encodeCbor(fields), { replace: true });
  }
}

/**
 * The trust state: a sealed record, and its sequence also in a power-safe counter that only
 * rises. The counter tells whether a record must be there and how new it must be, so a record
 * that was damaged, deleted or replaced by an older copy fails closed ('damaged') instead of
 * falling back to the built-in anchors (which would drop revocations and the sequence).
 */
export class StorageTrustState implements TrustStateStore {
  constructor(private readonly storage: Storage) {}

  load(): TrustStateLoad {
    const sequence = this.storage.counters.get('trustSequence');
    const bytes = this.storage.secrets.get(utf8(TRUST_ID));
    if (!bytes) return sequence > 0 ? 'damaged' : undefined;
    const state = parseTrustState(decode(bytes));
    if (!state || state.sequence < sequence) return 'damaged';
    // The record is written before the counter: a power cut in between leaves the counter behind.
    this.storage.counters.raise('trustSequence', state.sequence);
    return state;
  }

  save(state: TrustState): void {
    const fields: CborValue[] = [state.sequence, state.revoked.slice()];
    if (state.rotationRoot) fields.push(state.rotationRoot);
    this.storage.secrets.put(utf8(TRUST_ID), encodeCbor(fields));
    this.storage.counters.raise('trustSequence', state.sequence);
  }
}

function parseTrustState(v: CborValue | undefined): TrustState | undefined {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || typeof v[0] !== 'number' || !Array.isArray(v[1])) return undefined;
  if (!v[1].every((r) => r instanceof Uint8Array && r.length === KEY_ID_BYTES)) return undefined;
  if (v.length === 3 && !(v[2] instanceof Uint8Array)) return undefined;
  return { sequence: v[0], revoked: v[1] as Uint8Array[], rotationRoot: v[2] instanceof Uint8Array ? v[2] : undefined };
}

/** Audit events into storage's hash-chained log, and its entries out for access.audit.read. */
export class StorageAudit implements AuditSink, AuditReader {
  /** Access events repeat (a phone's same command over and over): runs are summarised (audit-runs.ts). */
  private readonly runs: AuditRuns;

  constructor(private readonly storage: Storage) {
    this.runs = new AuditRuns((event) => storage.log(event));
  }

  append(event: AccessAuditEvent): void {
    this.runs.append({
      event: event.type,
      actor: { role: event.role, keyId: event.keyId ? toHex(event.keyId) : '' },
      // Storage keeps outcomes short (16 characters): the code here, its name in the detail.
      outcome: event.outcome === 0 ? 'ok' : `status-${event.outcome}`,
      detail: [event.subject, event.outcome === 0 ? undefined : statusName(event.outcome)].filter(Boolean).join(' '),
    });
  }

  range(): { first: number; next: number } {
    const entries = this.storage.audit.entries();
    const next = this.storage.audit.lastSeq + 1;
    return { first: entries.length > 0 ? entries[0].seq : next, next };
  }

  read(from: number, count: number): Uint8Array[] {
    return this.storage.audit.entries().filter((e) => e.seq >= from && e.seq < from + count).map(encodeAuditEntry);
  }
}

/** All ports of access control over one opened Storage. */
export function storagePorts(storage: Storage) {
  const audit = new StorageAudit(storage);
  return {
    counters: new StorageCounters(storage),
    bonds: new StorageBonds(storage),
    identities: new StorageIdentity(storage),
    trustState: new StorageTrustState(storage),
    audit,
    auditReader: audit,
  };
}
