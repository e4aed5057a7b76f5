import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import Preference from 'preference';
import { persistPreferences, virtualHost, type HostPlatform } from '../../host/shims/host-control.js';

function message(text: string) {
  return (e: Error) => e.constructor === Error && e.message === text;
}

describe('preference shim (Moddable "preference")', () => {
  for (const platform of ['esp32', 'nrf52'] as HostPlatform[]) {
    describe(platform, () => {
      beforeEach(() => virtualHost(platform));

      it('stores booleans, int32s, strings and ArrayBuffers, and lists keys per domain', () => {
        Preference.set('therapy', 'on', true);
        Preference.set('therapy', 'rate', -70);
        Preference.set('therapy', 'mode', 'VVI');
        Preference.set('keys', 'id', Uint8Array.of(1, 2, 3).buffer);
        assert.equal(Preference.get('therapy', 'on'), true);
        assert.equal(Preference.get('therapy', 'rate'), -70);
        assert.equal(Preference.get('therapy', 'mode'), 'VVI');
        const id = Preference.get('keys', 'id') as ArrayBuffer;
        assert.deepEqual(new Uint8Array(id), Uint8Array.of(1, 2, 3));
        new Uint8Array(id)[0] = 99;
        assert.deepEqual(new Uint8Array(Preference.get('keys', 'id') as ArrayBuffer), Uint8Array.of(1, 2, 3), 'get returns a copy');
        assert.deepEqual(Preference.keys('therapy'), ['on', 'rate', 'mode']);
        assert.equal(Preference.get('therapy', 'missing'), undefined);
        Preference.delete('therapy', 'rate');
        Preference.delete('therapy', 'never-set');
        assert.deepEqual(Preference.keys('therapy'), ['on', 'mode']);
      });

      it('throws for floats and unsupported types and keeps the old value', () => {
        Preference.set('d', 'k', 1);
        assert.throws(() => Preference.set('d', 'k', 1.5), message('float unsupported'));
        assert.throws(() => Preference.set('d', 'k', 2 ** 31), message('float unsupported'));
        assert.throws(() => Preference.set('d', 'k', NaN), message('float unsupported'));
        assert.throws(() => Preference.set('d', 'k', Uint8Array.of(1) as unknown as ArrayBuffer), message('unsupported type'));
        assert.throws(() => Preference.set('d', 'k', null as unknown as string), message('unsupported type'));
        assert.equal(Preference.get('d', 'k'), 1);
      });

      it('accepts exactly the int32 numbers (property)', () => {
        fc.assert(
          fc.property(fc.double(), (value) => {
            const int32 = (value | 0) === value;
            try {
              Preference.set('p', 'n', value);
            } catch (e) {
              return !int32 && (e as Error).message === 'float unsupported';
            }
            return int32 && Preference.get('p', 'n') === value;
          }),
        );
      });
    });
  }

  describe('esp32 (NVS)', () => {
    beforeEach(() => virtualHost('esp32'));

    it('limits domain and key to 15 bytes', () => {
      Preference.set('d'.repeat(15), 'k'.repeat(15), 1);
      assert.equal(Preference.get('d'.repeat(15), 'k'.repeat(15)), 1);
      assert.throws(() => Preference.set('d'.repeat(16), 'k', 1), message('nvs_open fail'));
      assert.equal(Preference.get('d'.repeat(16), 'k'), undefined);
      assert.throws(() => Preference.set('d', 'k'.repeat(16), 1), message('nvs set fail'));
      assert.throws(() => Preference.get('d', 'k'.repeat(16)), message('nvs get fail'));
      assert.throws(() => Preference.delete('d', 'k'.repeat(16)), message('nvs erase fail'));
    });

    it('limits strings to 4000 bytes with the NUL, and a failed set has already erased the old value', () => {
      Preference.set('d', 's', 'x'.repeat(3999));
      assert.throws(() => Preference.set('d', 's', 'é'.repeat(2000)), message('nvs set fail'));
      assert.equal(Preference.get('d', 's'), undefined, 'the port erases the key before writing');
    });

    it('limits blobs to what NVS allows in its 24 KB partition (97.6% of it, less 4000 bytes)', () => {
      Preference.set('d', 'b', new ArrayBuffer(19986));
      assert.throws(() => Preference.set('d', 'b', new ArrayBuffer(19987)), message('nvs set fail'));
    });
  });

  describe('nrf52 (flash store)', () => {
    beforeEach(() => virtualHost('nrf52'));

    it('limits domain and key to 31 bytes', () => {
      Preference.set('d'.repeat(31), 'k'.repeat(31), true);
      assert.throws(() => Preference.set('d'.repeat(32), 'k', 1), message('too long'));
      assert.throws(() => Preference.set('d', 'k'.repeat(32), 1), message('too long'));
    });

    it('limits a value to 63 bytes and a record to 128, refusing before anything is erased', () => {
      Preference.set('d', 'b', new ArrayBuffer(63));
      assert.throws(() => Preference.set('d', 'b', new ArrayBuffer(64)), message("can't save prefs"));
      assert.equal((Preference.get('d', 'b') as ArrayBuffer).byteLength, 63);
      Preference.set('d', 's', 'x'.repeat(62));
      assert.throws(() => Preference.set('d', 's', 'x'.repeat(63)), message("can't save prefs"), '63 chars + NUL');
      Preference.set('d'.repeat(31), 'k'.repeat(31), 'x'.repeat(62)); // 32 + 32 + 1 + 63 = 128
      assert.throws(() => Preference.set('d'.repeat(31), 'k'.repeat(31), new ArrayBuffer(63)), message("can't save prefs"), '130 > 128');
    });

    it('holds about one 4 KB sector of records', () => {
      let stored = 0;
      assert.throws(() => {
        for (;;) Preference.set('d', `k${String(stored++).padStart(3, '0')}`, 'x'.repeat(40)); // 2 + 5 + 1 + 41 -> 52 bytes
      }, message("can't save prefs"));
      assert.equal(Preference.keys('d').length, Math.floor(4092 / 52));
    });
  });

  describe('persistence', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prefs-'))));
    afterEach(() => rmSync(dir, { recursive: true }));

    it('is off unless asked; when asked, survives a fresh host', () => {
      const file = join(dir, 'prefs.json');
      virtualHost();
      persistPreferences(file);
      Preference.set('bond', 'count', 2);
      Preference.set('bond', 'key', Uint8Array.of(0xde, 0xad).buffer);
      virtualHost();
      assert.equal(Preference.get('bond', 'count'), undefined, 'a fresh host starts empty');
      persistPreferences(file);
      assert.equal(Preference.get('bond', 'count'), 2);
      assert.deepEqual(new Uint8Array(Preference.get('bond', 'key') as ArrayBuffer), Uint8Array.of(0xde, 0xad));
    });
  });
});
