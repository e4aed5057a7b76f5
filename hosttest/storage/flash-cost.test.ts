// Flash operations per write, in steady state (after the rings have wrapped): the figures
// docs/storage.md quotes, and a guard that they do not grow.
import assert from 'node:assert/strict';
import Flash from 'flash';
import { ModdableFlashArea } from '../../modules/platform/flash-area.js';
import { AuditLog } from '../../modules/storage/audit-log.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import { testHost } from '../lib/host.js';
import type { NorFlash } from '../../host/sim/nor-flash.js';
import { installFlashPartition, virtualHost } from '../../host/shims/host-control.js';
import { flash, seededCrypto, WRITE_SIZES } from './fixture.js';

function perWrite(f: NorFlash, write: () => void, warmup: number, measured: number): { programs: number; erases: number } {
  for (let i = 0; i < warmup; i++) write();
  const { programs, erases } = f;
  for (let i = 0; i < measured; i++) write();
  return { programs: (f.programs - programs) / measured, erases: (f.erases - erases) / measured };
}

describe('flash operations per write', () => {
  for (const writeSize of WRITE_SIZES) {
    it(`an audit append and a sealed-parameter write (76 bytes) cost about 2 programs and a small share of an erase (write size ${writeSize})`, () => {
      const auditFlash = flash(4, writeSize);
      const log = new AuditLog(auditFlash, seededCrypto(), new Uint8Array(32), () => 1_767_225_600_000);
      const event = { event: 'therapy.program', actor: { role: 'clinician', keyId: '5f3a9c01' }, outcome: 'ok', detail: 'lower rate 60 -> 70 ppm' };
      const audit = perWrite(auditFlash, () => log.append(event), 300, 1000);
      const recordFlash = flash(4, writeSize);
      const store = new RecordStore(recordFlash);
      for (let k = 1; k <= 10; k++) store.put(k, new Uint8Array(76).fill(k)); // other live records GC must carry
      const params = perWrite(recordFlash, () => store.put(0x100, new Uint8Array(76)), 300, 1000);
      testHost().log(`write size ${writeSize}: audit append ${audit.programs.toFixed(3)} programs + ${audit.erases.toFixed(4)} erases; params write ${params.programs.toFixed(3)} programs + ${params.erases.toFixed(4)} erases`);
      assert.ok(audit.programs < 2.1 && audit.erases < 0.04, JSON.stringify(audit));
      assert.ok(params.programs < 2.4 && params.erases < 0.04, JSON.stringify(params));
    });
  }
});

describe('RecordStore over the Moddable flash module', () => {
  it('keeps a record across a remount through ModdableFlashArea and the flash shim', () => {
    virtualHost('nrf52');
    installFlashPartition('storage', flash(3, 4));
    const store = new RecordStore(new ModdableFlashArea(new Flash('storage'), 4));
    store.put(1, Uint8Array.of(9));
    assert.deepEqual(new RecordStore(new ModdableFlashArea(new Flash('storage'), 4)).get(1), Uint8Array.of(9));
  });
});
