// The IRK next to the device identity (modules/access/identity.ts, docs/privacy.md): made on
// first boot, kept in the sealed identity record across reboots, added once to an identity an
// older firmware stored without one, the key and certificate unchanged.
import assert from 'node:assert/strict';
import { toHex } from '../../modules/core/bytes.js';
import { encodeCbor } from '../../modules/core/cbor.js';
import { AccessControl } from '../../modules/access/access-control.js';
import { IRK_BYTES } from '../../modules/access/identity.js';
import { storagePorts } from '../../modules/access/storage-ports.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { openStorage } from '../../modules/storage/storage.js';
import { NorFlash } from '../../host/sim/nor-flash.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { Prng } from '../../host/lib/prng.js';
import { crypto, Device, ed25519Pair } from '../../host/fixtures/access-device.js';

const SECTORS = 4;

function flashBoot(flash: NorFlash, prng: Prng): AccessControl {
  flash.powerOn();
  const seeded = { ...crypto, randomBytes: (n: number) => prng.bytes(n) };
  const storage = openStorage({ records: sliceArea(flash, 0, SECTORS), audit: sliceArea(flash, SECTORS, SECTORS) }, { crypto: seeded, now: () => 0 });
  return new AccessControl({ ...storagePorts(storage), clock: new VirtualClock(0), crypto: seeded, trustConfig: { roots: [toHex(ed25519Pair(new Prng(1)).publicKey)], revoked: [] } });
}

describe('access: the IRK of the device identity', () => {
  it('is made on first boot with the static key, and the sealed record keeps it across reboots', () => {
    const flash = new NorFlash({ size: 2 * SECTORS * 4096, eraseSize: 4096, writeSize: 4 });
    const prng = new Prng(12);
    const first = flashBoot(flash, prng).identity.identity();
    assert.equal(first.irk.length, IRK_BYTES);
    assert.notEqual(toHex(first.irk), toHex(first.staticSecret.subarray(0, IRK_BYTES)));
    const again = flashBoot(flash, prng).identity.identity();
    assert.equal(toHex(again.irk), toHex(first.irk));
    assert.equal(toHex(again.staticPublic), toHex(first.staticPublic));
  });

  it('is added once to an identity stored without one, keeping its key and certificate', () => {
    const device = new Device(4);
    const before = device.access.identity.identity();
    const { irk: _dropped, ...older } = before;
    device.identities.value = older; // what a firmware without the IRK stored
    const upgraded = device.reboot().identity.identity();
    assert.equal(upgraded.irk.length, IRK_BYTES);
    assert.equal(toHex(upgraded.staticPublic), toHex(before.staticPublic));
    assert.equal(toHex(upgraded.certificate!), toHex(before.certificate!));
    assert.equal(toHex(device.identities.value!.irk!), toHex(upgraded.irk), 'saved at once');
    assert.equal(toHex(device.reboot().identity.identity().irk), toHex(upgraded.irk), 'and not made again');
  });

  it("reads the older record layouts ([secret, public] and [secret, public, certificate]) without an IRK", () => {
    const flash = new NorFlash({ size: 2 * SECTORS * 4096, eraseSize: 4096, writeSize: 4 });
    flash.powerOn();
    const prng = new Prng(5);
    const seeded = { ...crypto, randomBytes: (n: number) => prng.bytes(n) };
    const storage = openStorage({ records: sliceArea(flash, 0, SECTORS), audit: sliceArea(flash, SECTORS, SECTORS) }, { crypto: seeded, now: () => 0 });
    const ports = storagePorts(storage);
    const secret = new Uint8Array(32).fill(7);
    const cert = new Uint8Array(40).fill(9);
    for (const fields of [[secret, secret], [secret, secret, cert]]) {
      storage.identity.provision(encodeCbor(fields), { replace: true });
      const loaded = ports.identities.load()!;
      assert.equal(loaded.irk, undefined);
      assert.equal(loaded.certificate === undefined, fields.length === 2);
    }
  });
});
