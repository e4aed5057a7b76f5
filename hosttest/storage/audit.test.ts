// @req SEC-13 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { type AuditExport, exportAuditLog, verifyAuditExport } from '../../modules/storage/audit-export.js';
import { AuditLog } from '../../modules/storage/audit-log.js';
import { AUDIT_LIMITS, decodeAuditEntry, encodeAuditEntry } from '../../modules/storage/audit-entry.js';
import { StorageError } from '../../modules/storage/errors.js';
import { flash } from './fixture.js';

const crypto = nobleProvider;
const macKey = new Uint8Array(32).fill(0x33);
const deviceKey = new Uint8Array(32).fill(0x44);
const devicePublicKey = crypto.ed25519.publicKey(deviceKey);
const sign = (digest: Uint8Array) => crypto.ed25519.sign(digest, deviceKey);
const actor = { role: 'clinician', keyId: 'c0ffee' };
const code = (c: string) => (e: unknown) => e instanceof StorageError && e.code === c;

function logWith(entries: number, sectors = 3): AuditLog {
  let time = 1_000;
  const log = new AuditLog(flash(sectors), crypto, macKey, () => (time += 10));
  for (let i = 1; i <= entries; i++) log.append({ event: 'therapy.program', actor, outcome: i % 3 ? 'ok' : 'denied', detail: `rate ${60 + (i % 40)}` });
  return log;
}

function exported(log: AuditLog): AuditExport {
  return exportAuditLog(log, crypto, sign);
}

const clone = (x: AuditExport): AuditExport => JSON.parse(JSON.stringify(x));

describe('audit log', () => {
  it('numbers, times and keeps entries across remounts, chained from entry 1', () => {
    const f = flash(3);
    let time = 5_000;
    let log = new AuditLog(f, crypto, macKey, () => (time += 1));
    const first = log.append({ event: 'auth.handshake', actor, outcome: 'ok' });
    assert.deepEqual(first, { seq: 1, time: 5_001, event: 'auth.handshake', actor, outcome: 'ok' });
    log.append({ event: 'auth.handshake', actor: { role: 'patient', keyId: '' }, outcome: 'denied', detail: 'bad cert\nline' });
    log = new AuditLog(f, crypto, macKey, () => 0);
    assert.equal(log.report.fault, undefined);
    assert.deepEqual(log.entries().map((e) => [e.seq, e.outcome, e.detail]), [[1, 'ok', undefined], [2, 'denied', 'bad cert?line']]);
    assert.equal(log.append({ event: 'x', actor, outcome: 'ok' }).time, 0, 'an unknown clock is recorded as 0');
  });

  it('refuses malformed events and logs nothing for them', () => {
    const log = logWith(0);
    assert.throws(() => log.append({ event: '', actor, outcome: 'ok' }), code('invalid'));
    assert.throws(() => log.append({ event: 'a\u0000b', actor, outcome: 'ok' }), code('invalid'));
    assert.throws(() => log.append({ event: 'e'.repeat(AUDIT_LIMITS.event + 1), actor, outcome: 'ok' }), code('too-large'));
    assert.throws(() => log.append({ event: 'ok', actor: { role: 'r', keyId: 'k'.repeat(65) }, outcome: 'ok' }), code('too-large'));
    assert.throws(() => log.append({ event: 'ok', actor: undefined as unknown as typeof actor, outcome: 'ok' }), code('invalid'));
    assert.equal(log.lastSeq, 0);
    assert.equal(log.append({ event: 'ok', actor, outcome: 'ok', detail: 'd'.repeat(500) }).detail!.length, AUDIT_LIMITS.detail);
  });

  it('encodes entries canonically: decode(encode(e)) = e, and any other bytes are refused (fast-check)', () => {
    const text = (max: number, min = 0) => fc.string({ minLength: min, maxLength: max, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(
      fc.record({ seq: fc.integer({ min: 1, max: 0xffffffff }), time: fc.nat({ max: Number.MAX_SAFE_INTEGER }), event: text(48, 1), role: text(16, 1), keyId: text(64), outcome: text(16, 1), detail: text(160) }),
      (r) => {
        const entry = { seq: r.seq, time: r.time, event: r.event, actor: { role: r.role, keyId: r.keyId }, outcome: r.outcome, ...(r.detail ? { detail: r.detail } : {}) };
        const bytes = encodeAuditEntry(entry);
        assert.deepEqual(decodeAuditEntry(bytes), entry);
        assert.equal(decodeAuditEntry(bytes.subarray(0, bytes.length - 1)), undefined);
        assert.equal(decodeAuditEntry(Uint8Array.from([...bytes, 0])), undefined);
      },
    ), { numRuns: 300, seed: 7 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const entry = decodeAuditEntry(bytes);
      if (entry) assert.deepEqual(encodeAuditEntry(entry), bytes);
    }), { numRuns: 500, seed: 8 });
  });

  it('rolls over: bounded size, the oldest entries dropped, the rest still verifies from a checkpoint', () => {
    const log = logWith(400);
    const entries = log.entries();
    assert.ok(entries.length < 150 && entries.length > 40, `keeps ${entries.length}`);
    assert.equal(entries[entries.length - 1].seq, 400);
    const x = exported(log);
    assert.equal(x.dropped, entries[0].seq - 1);
    const result = verifyAuditExport(x, { crypto, devicePublicKey, macKey });
    assert.equal(result.valid, true);
    assert.equal(result.tags, 'valid');
    assert.equal(result.signature, 'valid');
    assert.equal(result.entries.length, entries.length);
  });

  it('an export verifies with the device public key alone, and with the MAC key alone', () => {
    const x = exported(logWith(30));
    assert.equal(verifyAuditExport(x, { crypto, devicePublicKey }).valid, true);
    const unsigned = clone(x);
    delete unsigned.signature;
    const byMac = verifyAuditExport(unsigned, { crypto, macKey });
    assert.deepEqual([byMac.valid, byMac.signature, byMac.tags], [true, 'absent', 'valid']);
    const nothing = verifyAuditExport(unsigned, { crypto, devicePublicKey });
    assert.equal(nothing.valid, false, 'an unsigned export proves nothing without the MAC key');
    const wrong = verifyAuditExport(x, { crypto, devicePublicKey: crypto.ed25519.publicKey(new Uint8Array(32).fill(1)) });
    assert.deepEqual([wrong.valid, wrong.signature], [false, 'invalid']);
    const wrongMac = verifyAuditExport(unsigned, { crypto, macKey: new Uint8Array(32) });
    assert.deepEqual([wrongMac.valid, wrongMac.tags, wrongMac.firstBad?.seq], [false, 'invalid', 1]);
  });

  describe('pinpoints the first bad entry of a tampered export', () => {
    const original = exported(logWith(30));
    const check = (tamper: (x: AuditExport) => void, seq: number, fault: string, options: { mac?: boolean } = {}) => {
      const x = clone(original);
      tamper(x);
      const result = verifyAuditExport(x, { crypto, devicePublicKey, macKey: options.mac ? macKey : undefined });
      assert.equal(result.valid, false);
      assert.equal(result.firstBad?.seq, seq, JSON.stringify(result.firstBad));
      assert.equal(result.firstBad?.fault, fault);
    };
    it('a readable field changed', () => check((x) => (x.entries[9].outcome = 'ok!'), 10, 'fields'));
    it('the canonical bytes changed (and the readable field to match)', () => check((x) => {
      const e = x.entries[11];
      e.detail = 'rate 99';
      const bytes = encodeAuditEntry(e);
      e.record = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    }, 12, 'link'));
    it('an entry removed', () => check((x) => x.entries.splice(14, 1), 15, 'missing'));
    it('two entries swapped', () => check((x) => ([x.entries[3], x.entries[4]] = [x.entries[4], x.entries[3]]), 4, 'missing'));
    it('the tail cut off', () => check((x) => x.entries.splice(25), 30, 'head'));
    it('a MAC tag changed (caught with the MAC key)', () => check((x) => (x.entries[7].tag = '00'.repeat(16)), 8, 'tag', { mac: true }));
  });

  it('never throws on arbitrary input (fast-check)', () => {
    const base = exported(logWith(5));
    fc.assert(fc.property(fc.anything(), (junk) => {
      assert.equal(verifyAuditExport(junk, { crypto, devicePublicKey }).valid, false);
    }), { numRuns: 300, seed: 9 });
    fc.assert(fc.property(fc.constantFrom('format', 'dropped', 'checkpoints', 'entries', 'head', 'signature'), fc.anything(), (field, junk) => {
      const x = clone(base) as unknown as Record<string, unknown>;
      x[field] = junk;
      verifyAuditExport(x, { crypto, devicePublicKey, macKey });
    }), { numRuns: 300, seed: 10 });
  });
});
