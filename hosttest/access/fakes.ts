// In-memory stand-ins for the storage ports (modules/access/ports.ts), with the same contracts:
// counters never go backwards, bonds are keyed by key id. A "reboot" in a test builds a new
// AccessControl over the same objects, as the device rebuilds it over the same flash.
import { equalBytes, toHex, utf8 } from '../../modules/core/bytes.js';
import type { AccessAuditEvent, AuditReader, AuditSink, Bond, BondStore, CounterStore, DeviceIdentity, IdentityStore, TrustState, TrustStateStore } from '../../modules/access/ports.js';

export class MemoryCounters implements CounterStore {
  readonly values = new Map<string, number>();
  writes = 0;
  read(name: string): number {
    return this.values.get(name) ?? 0;
  }
  raise(name: string, value: number): void {
    if (value <= this.read(name)) return;
    this.values.set(name, value);
    this.writes++;
  }
}

export class MemoryBonds implements BondStore {
  readonly bonds: Bond[] = [];
  list(): Bond[] {
    return this.bonds.slice();
  }
  add(bond: Bond): void {
    this.bonds.push(bond);
  }
  remove(keyId: Uint8Array): boolean {
    const i = this.bonds.findIndex((b) => equalBytes(b.keyId, keyId));
    if (i < 0) return false;
    this.bonds.splice(i, 1);
    return true;
  }
}

export class MemoryIdentity implements IdentityStore {
  value: DeviceIdentity | undefined;
  load(): DeviceIdentity | undefined {
    return this.value;
  }
  save(identity: DeviceIdentity): void {
    this.value = identity;
  }
}

export class MemoryTrustState implements TrustStateStore {
  value: TrustState | undefined;
  load(): TrustState | undefined {
    return this.value;
  }
  save(state: TrustState): void {
    this.value = state;
  }
}

export class MemoryAudit implements AuditSink, AuditReader {
  readonly events: AccessAuditEvent[] = [];
  append(event: AccessAuditEvent): void {
    this.events.push(event);
  }
  range(): { first: number; next: number } {
    return { first: 0, next: this.events.length };
  }
  read(from: number, count: number): Uint8Array[] {
    return this.events.slice(from, from + count).map((e) => utf8(`${e.type}:${e.role}:${e.subject ?? ''}:${e.outcome}`));
  }
  /** Events of a type, as "role subject outcome" strings, for compact assertions. */
  of(type: string): string[] {
    return this.events.filter((e) => e.type === type).map((e) => `${e.role} ${e.subject ?? '-'} ${e.outcome}${e.keyId ? ` ${toHex(e.keyId)}` : ''}`);
  }
}
