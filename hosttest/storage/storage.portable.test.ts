// The storage core inside the real XS engine too (the device's engine): records survive a
// remount and garbage collection, power cuts (clean and torn) lose nothing acknowledged,
// counters only rise, and the audit log exports and verifies.
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { verifyAuditExport } from '../../modules/storage/audit-export.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import { openStorage } from '../../modules/storage/storage.js';
import { bytesEqual, equal, ok } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';

const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

describe('storage (portable)', () => {
  it('keeps the newest values through garbage collection and remounts', () => {
    const flash = new NorFlash({ size: 3 * 4096, eraseSize: 4096, writeSize: 8 });
    const store = new RecordStore(flash);
    store.put(50, fill(33, 7));
    for (let i = 0; i < 300; i++) store.put(1 + (i % 3), fill(1 + (i % 90), i & 0xff));
    const again = new RecordStore(flash);
    bytesEqual(again.get(50)!, fill(33, 7));
    bytesEqual(again.get(3)!, fill(1 + (299 % 90), 299 & 0xff));
    ok(flash.erases > 0, 'garbage collection erased sectors');
  });

  it('loses no acknowledged write across power cuts at every operation, clean and torn', () => {
    let cuts = 0;
    for (let at = 1; at <= 40; at++) {
      for (const torn of [false, true]) {
        const flash = new NorFlash({ size: 2 * 4096, eraseSize: 4096, writeSize: 4 });
        let store = new RecordStore(flash);
        flash.armPowerCut({ at: flash.ops + at, torn, seed: at });
        let acked = 0;
        try {
          for (let i = 1; i <= 20; i++) {
            store.put(1, fill(4, i));
            acked = i;
          }
        } catch (error) {
          if (!(error instanceof PowerCut)) throw error;
          cuts++;
        }
        flash.powerOn();
        store = new RecordStore(flash);
        const seen = store.get(1)?.[0] ?? 0;
        ok(seen === acked || seen === acked + 1, `cut at ${at}${torn ? ' torn' : ''}: saw ${seen}, acknowledged ${acked}`);
      }
    }
    testHost().log(`[${testHost().engine}] ${cuts} power cuts, nothing acknowledged lost`);
  });

  it('counts up, never down, and exports an audit log that verifies', () => {
    const flash = new NorFlash({ size: 7 * 4096, eraseSize: 4096, writeSize: 4 });
    const open = () => openStorage({ records: sliceArea(flash, 0, 4), audit: sliceArea(flash, 4, 3) }, { crypto: nobleProvider, now: () => 1_700_000_000_000 });
    const storage = open();
    storage.counters.raise('security', 4);
    storage.counters.raise('security', 2);
    for (let i = 0; i < 5; i++) storage.audit.append({ event: 'auth.handshake', actor: { role: 'patient', keyId: '01' }, outcome: 'ok' });
    const rebooted = open();
    equal(rebooted.counters.get('security'), 4);
    const key = fill(32, 1);
    const result = verifyAuditExport(rebooted.exportAudit((d) => nobleProvider.ed25519.sign(d, key)), { crypto: nobleProvider, devicePublicKey: nobleProvider.ed25519.publicKey(key) });
    ok(result.valid, 'export verifies');
    equal(result.entries.filter((e) => e.event === 'auth.handshake').length, 5);
  });
});
