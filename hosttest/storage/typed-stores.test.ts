// @req SEC-14 (docs/traceability.md)
import assert from 'node:assert/strict';
import { utf8 } from '../../modules/core/bytes.js';
import { StorageError } from '../../modules/storage/errors.js';
import type { ParamsCodec } from '../../modules/storage/params-store.js';
import { RecordKeys } from '../../modules/storage/record-keys.js';
import { Device } from './fixture.js';

const code = (c: string) => (e: unknown) => e instanceof StorageError && e.code === c;

interface Params {
  rate: number;
  amplitude: number;
}
const SAFE: Params = Object.freeze({ rate: 60, amplitude: 35 });
/** A stand-in for the therapy module's codec: two bytes, each range-checked. */
const codec: ParamsCodec<Params> = {
  encode: (p) => Uint8Array.of(p.rate, p.amplitude),
  decode: (b) => (b.length === 2 && b[0] >= 30 && b[0] <= 180 && b[1] <= 75 ? { rate: b[0], amplitude: b[1] } : undefined),
  defaults: () => ({ ...SAFE }),
};

describe('typed stores', () => {
  it('params: defaults until saved, then the saved set; out-of-range sets are refused', () => {
    const device = new Device();
    let storage = device.boot();
    assert.deepEqual(storage.params(codec).load(), { value: SAFE, source: 'defaults', problem: 'missing' });
    storage.params(codec).save({ rate: 72, amplitude: 40 });
    assert.throws(() => storage.params(codec).save({ rate: 250, amplitude: 40 }), code('invalid'));
    storage = device.boot();
    assert.deepEqual(storage.params(codec).load(), { value: { rate: 72, amplitude: 40 }, source: 'stored' });
  });

  it('params: sealed at rest (not in the clear), and a record that no longer opens falls back to defaults', () => {
    const device = new Device();
    const storage = device.boot();
    storage.params(codec).save({ rate: 0x77, amplitude: 0x3b });
    const cells = device.flash.cells;
    assert.ok(!cells.some((b, i) => b === 0x77 && cells[i + 1] === 0x3b), 'plaintext parameters are not on flash');
    // Replace the sealed params with a record sealed for another key: it must not open here.
    storage.records.put(RecordKeys.params, storage.records.get(RecordKeys.bonds) ?? new Uint8Array(40).fill(1));
    assert.deepEqual(device.boot().params(codec).load(), { value: SAFE, source: 'defaults', problem: 'unsealed' });
  });

  it('params: a codec that rejects the stored bytes gives defaults, never garbage', () => {
    const device = new Device();
    device.boot().params(codec).save({ rate: 100, amplitude: 20 });
    const stricter: ParamsCodec<Params> = { ...codec, decode: (b) => (b[0] <= 90 ? codec.decode(b) : undefined) };
    assert.deepEqual(device.boot().params(stricter).load(), { value: SAFE, source: 'defaults', problem: 'invalid' });
  });

  it('bonds: add, replace, remove, list, bounded, and survive reboot', () => {
    const device = new Device();
    let storage = device.boot();
    const id = (n: number) => Uint8Array.of(n, n);
    for (let n = 1; n <= 8; n++) storage.bonds.put(id(n), utf8(`bond ${n}`));
    assert.throws(() => storage.bonds.put(id(9), utf8('one too many')), code('full'));
    storage.bonds.put(id(3), utf8('bond 3 again'));
    assert.equal(storage.bonds.remove(id(5)), true);
    assert.equal(storage.bonds.remove(id(5)), false);
    storage.bonds.put(id(9), utf8('bond 9'));
    assert.throws(() => storage.bonds.put(new Uint8Array(0), utf8('x')), code('invalid'));
    assert.throws(() => storage.bonds.put(new Uint8Array(33), utf8('x')), code('invalid'));
    storage = device.boot();
    assert.equal(storage.bonds.size, 8);
    assert.deepEqual(storage.bonds.get(id(3)), utf8('bond 3 again'));
    assert.equal(storage.bonds.get(id(5)), undefined);
    assert.deepEqual(storage.bonds.get(id(9)), utf8('bond 9'));
  });

  it('a sealed record moved to another slot does not open there (the record key is bound in)', () => {
    const device = new Device();
    const storage = device.boot();
    storage.bonds.put(Uint8Array.of(1), utf8('first'));
    storage.records.put(RecordKeys.bonds + 1, storage.records.get(RecordKeys.bonds)!);
    const rebooted = device.boot();
    assert.deepEqual(rebooted.report.damagedBonds, [1]);
    assert.equal(rebooted.bonds.size, 1);
    assert.ok(rebooted.audit.entries().some((e) => e.event === 'storage.corrupt' && /bonds 1/.test(e.detail ?? '')));
  });

  it('identity: provisioned once; replacing needs an explicit replace', () => {
    const device = new Device();
    const storage = device.boot();
    assert.equal(storage.identity.get(), undefined);
    storage.identity.provision(utf8('identity v1'));
    assert.throws(() => storage.identity.provision(utf8('identity v2')), code('exists'));
    storage.identity.provision(utf8('identity v2'), { replace: true });
    assert.deepEqual(device.boot().identity.get(), utf8('identity v2'));
  });

  it('a hardware device secret replaces the stored one (nothing secret kept in flash)', async () => {
    const { openStorage } = await import('../../modules/storage/storage.js');
    const { sliceArea } = await import('../../modules/storage/area-slice.js');
    const device = new Device();
    const open = (secret: Uint8Array) => openStorage(
      { records: sliceArea(device.flash, 0, 4), audit: sliceArea(device.flash, 4, 3) },
      { crypto: device.crypto, now: () => 0, deviceSecret: secret },
    );
    const storage = open(new Uint8Array(32).fill(3));
    storage.secrets.put(utf8('device-static'), new Uint8Array(32).fill(0xaa));
    assert.equal(storage.records.has(RecordKeys.deviceSecret), false);
    assert.deepEqual(open(new Uint8Array(32).fill(3)).secrets.get(utf8('device-static')), new Uint8Array(32).fill(0xaa));
    const other = open(new Uint8Array(32).fill(4));
    assert.equal(other.secrets.get(utf8('device-static')), undefined, 'another device key opens nothing');
    assert.deepEqual(other.report.damagedSecrets, [0]);
  });
});

describe('counters', () => {
  it('only rise: raise to a lower value is a no-op, increment adds one, bad values are refused', () => {
    const device = new Device();
    let storage = device.boot();
    assert.equal(storage.counters.get('security'), 0);
    assert.equal(storage.counters.raise('security', 5), 5);
    assert.equal(storage.counters.raise('security', 3), 5);
    assert.equal(storage.counters.increment('boot'), 1);
    assert.throws(() => storage.counters.raise('security', -1), code('invalid'));
    assert.throws(() => storage.counters.raise('security', 2 ** 53), code('invalid'));
    assert.throws(() => storage.counters.raise('security', 1.5), code('invalid'));
    assert.throws(() => storage.counters.get('nope' as 'boot'), code('invalid'));
    storage.counters.raise('clock', 1_700_000_000_123);
    storage = device.boot();
    assert.equal(storage.counters.get('security'), 5);
    assert.equal(storage.counters.get('boot'), 1);
    assert.equal(storage.counters.get('clock'), 1_700_000_000_123);
  });

  it('keep two copies: a lost or damaged copy is outvoted and rewritten', () => {
    const device = new Device();
    const storage = device.boot();
    storage.counters.raise('security', 9);
    storage.records.delete(RecordKeys.counterA + 1);
    storage.records.put(RecordKeys.counterB + 2, new Uint8Array(3)); // a malformed copy of 'boot'
    storage.counters.increment('boot'); // rewrites both copies of boot
    const rebooted = device.boot();
    assert.equal(rebooted.counters.get('security'), 9);
    assert.ok(rebooted.records.has(RecordKeys.counterA + 1), 'the missing copy is rewritten at boot');
  });
});
