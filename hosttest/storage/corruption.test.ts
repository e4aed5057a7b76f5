// Damage at rest: bit flips and garbage anywhere in either ring, and a forger who rewrites the
// audit log without the device key. Boot must never crash, must notice damage to any record and
// say so in the audit log, and must hand therapy its safe defaults rather than garbage.
// @req SAF-07 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readU32LE, utf8, writeU32LE } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { verifyAuditExport } from '../../modules/storage/audit-export.js';
import { crc32 } from '../../modules/storage/crc32.js';
import type { ParamsCodec } from '../../modules/storage/params-store.js';
import { SLOT_SIZE } from '../../modules/storage/sector-ring.js';
import type { Storage } from '../../modules/storage/storage.js';
import { AUDIT_SECTORS, Device, ERASE, RECORD_SECTORS } from './fixture.js';

const codec: ParamsCodec<Uint8Array> = {
  encode: (v) => v,
  decode: (b) => (b.length === 8 && b[0] === 0x42 ? b : undefined),
  defaults: () => new Uint8Array(8),
};
const paramsVersion = (n: number) => Uint8Array.of(0x42, n, n, n, n, n, n, n);
const deviceActor = { role: 'clinician', keyId: '0a0b' };

/** A device with some history in both rings; returns the flash image and the params versions saved. */
function agedDevice(): { device: Device; image: Uint8Array } {
  const device = new Device(4, 7);
  const storage = device.boot();
  for (let i = 1; i <= 60; i++) {
    storage.params(codec).save(paramsVersion(i));
    storage.bonds.put(Uint8Array.of(i % 4), new Uint8Array(60).fill(i));
    storage.counters.increment('boot');
    storage.audit.append({ event: 'therapy.program', actor: deviceActor, outcome: 'ok', detail: `change ${i} `.repeat(4) });
  }
  return { device, image: device.flash.cells.slice() };
}

function noticed(storage: Storage): boolean {
  const { records, audit, damagedBonds, damagedSecrets } = storage.report;
  return [records, audit.ring].some((r) => r.corruptSlots.length > 0 || r.tornTail || r.unreadableSectors.length > 0)
    || audit.fault !== undefined || damagedBonds.length > 0 || damagedSecrets.length > 0;
}

function loggedDamage(storage: Storage): boolean {
  return storage.audit.entries().some((e) => /^(storage\.(corrupt|recovered|format|secret-created)|audit\.chain-broken)$/.test(e.event));
}

/** Keeps on working after damage: the next writes must not hit unerased cells or throw. */
function keepsWorking(storage: Storage): void {
  storage.params(codec).save(paramsVersion(99));
  storage.counters.increment('boot');
  for (let i = 0; i < 40; i++) storage.audit.append({ event: 'after.damage', actor: deviceActor, outcome: 'ok', detail: 'x'.repeat(100) });
  assert.deepEqual(storage.params(codec).load().value, paramsVersion(99));
}

describe('storage under corruption at rest', () => {
  const { device, image } = agedDevice();
  const sectors = RECORD_SECTORS + AUDIT_SECTORS;
  const fresh = (): Storage => {
    device.flash.cells.set(image);
    return device.boot();
  };
  const spares = (): number[] => {
    const s = fresh();
    return [(s.report.records.activeSector + 1) % RECORD_SECTORS, RECORD_SECTORS + ((s.report.audit.ring.activeSector + 1) % AUDIT_SECTORS)];
  };

  it('notices a flipped bit in any programmed byte outside the spare sectors, logs it and keeps working (fast-check)', () => {
    const ignored = spares();
    const programmed: number[] = [];
    for (let i = 0; i < image.length; i++) if (image[i] !== 0xff && !ignored.includes(Math.floor(i / ERASE))) programmed.push(i);
    fc.assert(
      fc.property(fc.nat({ max: programmed.length - 1 }), fc.integer({ min: 0, max: 7 }), (index, bit) => {
        device.flash.cells.set(image);
        device.flash.cells[programmed[index]] ^= 1 << bit;
        const storage = device.boot();
        assert.ok(noticed(storage), `flip at ${programmed[index]} went unnoticed`);
        assert.ok(loggedDamage(storage) || storage.report.audit.ring.fresh, 'the damage is in the audit log');
        const params = storage.params(codec).load().value;
        assert.ok(params[0] === 0 || (params[0] === 0x42 && params[1] >= 1 && params[1] <= 60), 'params are a saved version or the defaults');
        keepsWorking(storage);
      }),
      { numRuns: 200, seed: 31337 },
    );
  });

  it('survives garbage of any length anywhere, in any sector, spares included (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat({ max: sectors - 1 }), fc.nat({ max: ERASE - 1 }), fc.integer({ min: 1, max: ERASE }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (sector, start, length, pattern) => {
        device.flash.cells.set(image);
        const base = sector * ERASE;
        for (let i = start; i < Math.min(ERASE, start + length); i++) device.flash.cells[base + i] = pattern[i % pattern.length];
        const storage = device.boot();
        const params = storage.params(codec).load().value;
        assert.ok(params[0] === 0 || params[0] === 0x42, 'params are valid or the defaults');
        keepsWorking(storage);
        keepsWorking(device.boot());
      }),
      { numRuns: 150, seed: 4242 },
    );
  });

  it('reformats a record ring that is all garbage, reports it, and falls back to the defaults', () => {
    device.flash.cells.set(image);
    for (let i = 0; i < RECORD_SECTORS * ERASE; i++) device.flash.cells[i] = (i * 37) & 0xff;
    const storage = device.boot();
    assert.equal(storage.report.records.fresh, true);
    assert.deepEqual(storage.report.records.unreadableSectors, [0, 1, 2, 3]);
    assert.deepEqual(storage.params(codec).load(), { value: new Uint8Array(8), source: 'defaults', problem: 'missing' });
    assert.ok(storage.audit.entries().some((e) => e.event === 'storage.format' && e.outcome === 'corrupt'));
    keepsWorking(storage);
  });

  it('catches an audit entry rewritten without the key, pinpoints it, re-anchors once, and the export shows where', () => {
    device.flash.cells.set(image);
    const before = device.boot();
    const victim = before.audit.entries()[5];
    // The forger edits the entry's text and fixes the record's CRC, but cannot compute its MAC.
    const forged = forgeAuditEntry(device, `change ${victim.detail!.split(' ')[1]} `, 'CHANGE ');
    assert.ok(forged, 'found the entry to forge');
    const storage = device.boot();
    assert.deepEqual(storage.report.audit.fault, { seq: victim.seq, fault: 'tag' });
    assert.equal(storage.report.audit.reanchored, true);
    const broken = storage.audit.entries().filter((e) => e.event === 'audit.chain-broken');
    assert.equal(broken.length, 1);
    assert.match(broken[0].detail!, new RegExp(`first fault at entry ${victim.seq}: tag`));
    const again = device.boot();
    assert.equal(again.report.audit.reanchored, false, 'a known break is not re-anchored twice');
    assert.equal(again.audit.entries().filter((e) => e.event === 'audit.chain-broken').length, 1);

    const key = new Uint8Array(32).fill(5);
    const exported = again.exportAudit((d) => nobleProvider.ed25519.sign(d, key));
    const result = verifyAuditExport(exported, { crypto: nobleProvider, devicePublicKey: nobleProvider.ed25519.publicKey(key) });
    assert.equal(result.signature, 'valid', 'the device signed what it holds');
    assert.equal(result.valid, false, 'the log it holds is not intact');
    assert.deepEqual(result.firstBad, { seq: victim.seq, index: exported.entries.findIndex((e) => e.seq === victim.seq), fault: 'tag' });
    const after = exported.entries.filter((e) => e.seq > broken[0].seq - 1);
    assert.ok(after.length > 0 && after.every((e) => e.authentic), 'entries from the re-anchor on verify again');
  });
});

/** Rewrites, in the audit ring, the first entry whose text contains `find`, and fixes its CRC. */
function forgeAuditEntry(device: Device, find: string, replace: string): boolean {
  const cells = device.flash.cells;
  const needle = utf8(find);
  for (let block = 0; block < AUDIT_SECTORS; block++) {
    const base = device.auditBlock(block);
    for (let slot = 0; slot < ERASE / SLOT_SIZE; slot++) {
      const at = base + ERASE - SLOT_SIZE * (slot + 1);
      if (cells[at] === 0xff) break;
      const offset = cells[at + 8] | (cells[at + 9] << 8);
      const length = cells[at + 10] | (cells[at + 11] << 8);
      const data = cells.subarray(base + offset, base + offset + length);
      const hit = data.findIndex((_, i) => needle.every((b, j) => data[i + j] === b));
      if (hit < 0 || cells[at] !== 4) continue;
      data.set(utf8(replace), hit);
      const crc = crc32(data, crc32(cells, 0, at, at + 12));
      assert.notEqual(crc, readU32LE(cells, at + 12));
      writeU32LE(cells, at + 12, crc);
      return true;
    }
  }
  return false;
}
