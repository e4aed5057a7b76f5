import assert from 'node:assert/strict';
import { RecordStore } from '../../modules/storage/record-store.js';
import { StorageError } from '../../modules/storage/errors.js';
import { flash, WRITE_SIZES } from './fixture.js';

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
const code = (c: string) => (e: unknown) => e instanceof StorageError && e.code === c;

describe('RecordStore', () => {
  for (const writeSize of WRITE_SIZES) {
    it(`keeps the newest value of each key across remounts (write size ${writeSize})`, () => {
      const f = flash(3, writeSize);
      let store = new RecordStore(f);
      assert.equal(store.report.fresh, true);
      store.put(1, bytes(5, 1));
      store.put(2, bytes(7, 2));
      store.put(1, bytes(3, 9));
      store.delete(2);
      store = new RecordStore(f);
      assert.equal(store.report.fresh, false);
      assert.deepEqual(store.get(1), bytes(3, 9));
      assert.equal(store.get(2), undefined);
      assert.deepEqual(store.keys(), [1]);
    });

    it(`collects garbage and spreads wear over every sector (write size ${writeSize})`, () => {
      const f = flash(4, writeSize);
      const store = new RecordStore(f);
      store.put(100, bytes(40, 0x55)); // a static record that must survive every collection
      for (let i = 0; i < 2000; i++) store.put(1 + (i % 5), bytes(1 + (i % 200), i & 0xff));
      const reopened = new RecordStore(f);
      assert.deepEqual(reopened.get(100), bytes(40, 0x55));
      for (let k = 1; k <= 5; k++) {
        const last = 1995 + (k - 1); // the last i with 1 + (i % 5) === k
        assert.deepEqual(reopened.get(k), bytes(1 + (last % 200), last & 0xff), `key ${k}`);
      }
      const counts = [...f.eraseCounts];
      assert.ok(Math.min(...counts) > 10, `every sector is erased: ${counts}`);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `round-robin wear: ${counts}`);
    });
  }

  it('refuses bad keys, oversize values and too many keys, changing nothing', () => {
    const f = flash(3);
    const store = new RecordStore(f, { maxKeys: 3, maxValueSize: 64 });
    const before = f.ops;
    assert.throws(() => store.put(0, bytes(1, 1)), code('invalid'));
    assert.throws(() => store.put(0x10000, bytes(1, 1)), code('invalid'));
    assert.throws(() => store.put(1.5, bytes(1, 1)), code('invalid'));
    assert.throws(() => store.put(1, bytes(65, 1)), code('too-large'));
    assert.equal(f.ops, before, 'no flash operation for refused calls');
    store.put(1, bytes(1, 1));
    store.put(2, bytes(1, 1));
    store.put(3, bytes(1, 1));
    assert.throws(() => store.put(4, bytes(1, 1)), code('full'));
    store.put(3, bytes(2, 2)); // replacing an existing key is fine
    assert.deepEqual(store.keys(), [1, 2, 3]);
  });

  it("fails with 'full' once live data reaches the capacity, and keeps what it has", () => {
    const f = flash(3);
    const store = new RecordStore(f, { maxValueSize: 512, maxKeys: 200 });
    const capacity = store.stats().capacityBytes;
    let key = 1;
    assert.throws(() => {
      for (;;) store.put(key++, bytes(500, key & 0xff));
    }, code('full'));
    const kept = key - 2;
    assert.ok(store.stats().liveBytes <= capacity);
    const reopened = new RecordStore(f, { maxValueSize: 512, maxKeys: 200 });
    for (let k = 1; k <= kept; k++) assert.deepEqual(reopened.get(k), bytes(500, (k + 1) & 0xff));
    reopened.delete(1); // deleting frees room again
    reopened.put(kept + 1, bytes(10, 1));
  });

  it('rejects geometries the format cannot use', () => {
    assert.throws(() => new RecordStore(flash(1)), code('geometry'));
    assert.throws(() => new RecordStore(flash(3), { maxValueSize: 5000 }), code('geometry'));
  });

  it('reads back through a fresh integrity check: a flipped bit after mount is reported, not returned', () => {
    const f = flash(3);
    const store = new RecordStore(f);
    store.put(7, bytes(32, 0x11));
    const at = f.cells.findIndex((b, i) => i < 4096 && b === 0x11);
    f.cells[at] ^= 0x01;
    assert.throws(() => store.get(7), code('corrupt'));
  });
});
