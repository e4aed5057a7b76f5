import * as assert from 'node:assert/strict';
import Flash from 'flash';
import { FlashError } from '../../modules/core/flash-area.js';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';
import { installFlashChip, installFlashPartition, virtualHost, type HostPlatform } from '../../host/shims/host-control.js';

const BLOCK = 4096;

function partition(name: string, blocks = 4): NorFlash {
  const nor = new NorFlash({ size: blocks * BLOCK, eraseSize: BLOCK, writeSize: 1 });
  installFlashPartition(name, nor);
  return nor;
}

function message(text: string) {
  return (e: Error) => e.constructor === Error && e.message === text;
}

describe('flash shim (Moddable "flash")', () => {
  for (const platform of ['esp32', 'nrf52'] as HostPlatform[]) {
    describe(platform, () => {
      beforeEach(() => virtualHost(platform));

      it('reports geometry and round-trips erase, write and read', () => {
        partition('storage');
        const flash = new Flash('storage');
        assert.equal(flash.byteLength, 4 * BLOCK);
        assert.equal(flash.blockSize, BLOCK);
        flash.write(10, 3, Uint8Array.of(1, 2, 3));
        const read = flash.read(9, 5);
        assert.ok(read instanceof ArrayBuffer);
        assert.deepEqual(new Uint8Array(read), Uint8Array.of(0xff, 1, 2, 3, 0xff));
        flash.erase(0);
        assert.deepEqual(new Uint8Array(flash.read(10, 3)), Uint8Array.of(0xff, 0xff, 0xff));
      });

      it('writes the first byteLength bytes of any buffer view, at its offset', () => {
        const nor = partition('storage');
        const backing = Uint8Array.of(9, 9, 0xa0, 0xa1, 0xa2, 9);
        new Flash('storage').write(0, 2, backing.subarray(2));
        new Flash('storage').write(8, 2, new DataView(backing.buffer, 3));
        assert.deepEqual(nor.read(0, 2), Uint8Array.of(0xa0, 0xa1));
        assert.deepEqual(nor.read(8, 2), Uint8Array.of(0xa1, 0xa2));
      });

      it('refuses to program a 1 over a 0 and changes nothing', () => {
        const nor = partition('storage');
        const flash = new Flash('storage');
        flash.write(0, 2, Uint8Array.of(0x0f, 0xf0));
        const before = nor.cells.slice();
        assert.throws(
          () => flash.write(0, 2, Uint8Array.of(0x0f, 0xf1)),
          (e: Error) => e.message === 'write failed' && e.cause instanceof FlashError && e.cause.code === 'not-erased',
        );
        assert.deepEqual(nor.cells, before);
      });

      it('lets a power cut through as PowerCut and leaves the chip off', () => {
        const nor = partition('storage');
        const flash = new Flash('storage');
        nor.armPowerCut({ at: nor.ops + 1 });
        assert.throws(() => flash.write(0, 4, new Uint8Array(4)), PowerCut);
        assert.throws(() => flash.read(0, 4), PowerCut);
        nor.powerOn();
        assert.deepEqual(new Uint8Array(flash.read(0, 4)), Uint8Array.of(0xff, 0xff, 0xff, 0xff), 'the cut op did not land');
      });

      it('rejects writes of no bytes or from a short buffer', () => {
        partition('storage');
        const flash = new Flash('storage');
        const invalid = platform === 'esp32' ? 'invalid' : 'invalid length';
        assert.throws(() => flash.write(0, 0, new Uint8Array(4)), message(invalid));
        assert.throws(() => flash.write(0, 5, new Uint8Array(4)), message(invalid));
        assert.throws(() => flash.write(0, 1, 'text' as unknown as Uint8Array), TypeError);
      });
    });
  }

  describe('esp32 errors (esp_partition_* failures)', () => {
    beforeEach(() => virtualHost('esp32'));

    it('finds any installed label, including xs, running and nextota', () => {
      for (const name of ['xs', 'running', 'nextota', 'nvs']) partition(name);
      for (const name of ['xs', 'running', 'nextota', 'nvs']) assert.equal(new Flash(name).byteLength, 4 * BLOCK);
      assert.throws(() => new Flash('ota_1'), message("can't find partition"));
      assert.throws(() => new Flash(0, BLOCK), message("can't find partition"), 'no raw regions on esp32');
    });

    it('fails out-of-partition operations with the driver messages', () => {
      partition('storage');
      const flash = new Flash('storage');
      assert.throws(() => flash.erase(4), message('erase failed'));
      assert.throws(() => flash.erase(-1), message('erase failed'));
      assert.throws(() => flash.read(4 * BLOCK - 2, 4), message('read failed'));
      assert.throws(() => flash.read(-1, 4), message('read failed'));
      assert.throws(() => flash.read(0, -1), RangeError);
      assert.throws(() => flash.write(4 * BLOCK - 2, 4, new Uint8Array(4)), message('write failed'));
      assert.equal(flash.read(0, 0).byteLength, 0, 'an empty read is allowed');
    });
  });

  describe('nrf52 errors (explicit argument checks)', () => {
    beforeEach(() => virtualHost('nrf52'));

    it('knows only its fixed partition names', () => {
      for (const name of ['storage', 'xs', 'ble-peers', 'running', 'nextota']) partition(name);
      assert.equal(new Flash('ble-peers').byteLength, 4 * BLOCK);
      assert.throws(() => new Flash('nextota'), message('unknown partition'), 'nrf52 has no OTA partitions');
    });

    it('checks sector, offset and length before touching the chip', () => {
      partition('storage');
      const flash = new Flash('storage');
      assert.throws(() => flash.erase(4), message('invalid sector'));
      assert.throws(() => flash.read(4 * BLOCK, 1), message('invalid offset'));
      assert.throws(() => flash.read(0, 0), message('invalid length'));
      assert.throws(() => flash.read(4 * BLOCK - 2, 4), message('invalid length'));
      assert.throws(() => flash.write(-4, 4, new Uint8Array(4)), message('invalid offset'));
    });

    it('opens raw regions of the chip with new Flash(offset, byteLength)', () => {
      const chip = new NorFlash({ size: 16 * BLOCK, eraseSize: BLOCK, writeSize: 1 });
      installFlashChip(chip);
      const region = new Flash(8 * BLOCK, 2 * BLOCK);
      assert.equal(region.byteLength, 2 * BLOCK);
      region.write(1, 1, Uint8Array.of(0x42));
      assert.equal(chip.cells[8 * BLOCK + 1], 0x42);
      region.erase(0);
      assert.equal(chip.eraseCounts[8], 1);
      assert.throws(() => region.erase(2), message('invalid sector'));
    });
  });
});
