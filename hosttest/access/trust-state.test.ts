// The trust state at rest (modules/access/storage-ports.ts StorageTrustState over the real
// storage): its sequence is also a monotonic counter, so a record that is missing, does not open
// or is older than the last update fails closed instead of falling back to the built-in anchors.
import assert from 'node:assert/strict';
import { AccessStatus } from '../../modules/access/status.js';
import { StorageTrustState } from '../../modules/access/storage-ports.js';
import { signTrustUpdate, TrustStore } from '../../modules/access/trust-store.js';
import { toHex, utf8 } from '../../modules/core/bytes.js';
import { encodeCbor } from '../../modules/core/cbor.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { openStorage } from '../../modules/storage/storage.js';
import type { Storage } from '../../modules/storage/storage.js';
import { NorFlash } from '../../host/sim/nor-flash.js';
import { Prng } from '../../host/lib/prng.js';
import { crypto, ed25519Pair } from '../../host/fixtures/access-device.js';

const SECTORS = 4;
const revokedId = (n: number) => new Uint8Array(8).fill(n);

function flashStorage() {
  const flash = new NorFlash({ size: 2 * SECTORS * 4096, eraseSize: 4096, writeSize: 4 });
  const prng = new Prng(6);
  const open = (): Storage => openStorage(
    { records: sliceArea(flash, 0, SECTORS), audit: sliceArea(flash, SECTORS, SECTORS) },
    { crypto: { ...crypto, randomBytes: (n) => prng.bytes(n) }, now: () => 0 },
  );
  return { open };
}

describe('access: trust state at rest', () => {
  it('loads nothing before any update, then each saved state, and keeps its sequence in a counter', () => {
    const { open } = flashStorage();
    assert.equal(new StorageTrustState(open()).load(), undefined);
    new StorageTrustState(open()).save({ sequence: 3, revoked: [revokedId(1)] });
    const storage = open();
    assert.deepEqual(new StorageTrustState(storage).load(), { sequence: 3, revoked: [revokedId(1)], rotationRoot: undefined });
    assert.equal(storage.counters.get('trustSequence'), 3);
  });

  it('is damaged when the record is gone, older than the counter, or does not parse', () => {
    const { open } = flashStorage();
    const first = open();
    new StorageTrustState(first).save({ sequence: 1, revoked: [] });
    const older = first.secrets.get(utf8('access.trust'))!;
    new StorageTrustState(first).save({ sequence: 2, revoked: [revokedId(2)] });
    first.secrets.put(utf8('access.trust'), older);
    assert.equal(new StorageTrustState(open()).load(), 'damaged', 'an older copy put back: the revocation must not vanish');
    const again = open();
    again.secrets.put(utf8('access.trust'), encodeCbor([2, [new Uint8Array(3)]]));
    assert.equal(new StorageTrustState(open()).load(), 'damaged', 'a revoked id of the wrong size');
    open().secrets.remove(utf8('access.trust'));
    assert.equal(new StorageTrustState(open()).load(), 'damaged', 'deleted while the counter says an update was applied');
  });

  it('opens a record written just before a power cut took the counter write, and repairs the counter', () => {
    const { open } = flashStorage();
    const storage = open();
    new StorageTrustState(storage).save({ sequence: 1, revoked: [] });
    storage.secrets.put(utf8('access.trust'), encodeCbor([2, [revokedId(4)]])); // the record, then the cut
    const after = open();
    assert.deepEqual(new StorageTrustState(after).load(), { sequence: 2, revoked: [revokedId(4)], rotationRoot: undefined });
    assert.equal(after.counters.get('trustSequence'), 2);
  });

  it('refuses every root and every update while the state is damaged', () => {
    const root = ed25519Pair(new Prng(8));
    const trust = new TrustStore(crypto, { roots: [toHex(root.publicKey)], revoked: [] }, { load: () => 'damaged', save: () => assert.fail('nothing is saved') });
    assert.equal(trust.damaged, true);
    assert.deepEqual(trust.rootFor(trust.slots()[0].keyId), { ok: false, status: AccessStatus.TRUST_STATE_DAMAGED });
    assert.equal(trust.applyUpdate(signTrustUpdate(crypto, root, { sequence: 1, revoked: [] })), AccessStatus.TRUST_STATE_DAMAGED);
  });
});
