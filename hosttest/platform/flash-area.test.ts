import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import Flash from 'flash';
import { FlashError } from '../../modules/core/flash-area.js';
import { ModdableFlashArea } from '../../modules/platform/flash-area.js';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';
import { installFlashPartition, virtualHost, type HostPlatform } from '../../host/shims/host-control.js';

const BLOCK = 4096;

function setup(platform: HostPlatform, writeSize: number, blocks = 4) {
  virtualHost(platform);
  const nor = new NorFlash({ size: blocks * BLOCK, eraseSize: BLOCK, writeSize: 1 });
  installFlashPartition('storage', nor);
  return { nor, area: new ModdableFlashArea(new Flash('storage'), writeSize) };
}

function code(c: FlashError['code']) {
  return (e: unknown) => e instanceof FlashError && e.code === c;
}

describe('ModdableFlashArea over the flash shim over NorFlash', () => {
  for (const platform of ['esp32', 'nrf52'] as HostPlatform[]) {
    describe(platform, () => {
      it('takes its geometry from the partition and round-trips data', () => {
        const { area } = setup(platform, 4);
        assert.deepEqual([area.size, area.eraseSize, area.writeSize], [4 * BLOCK, BLOCK, 4]);
        area.program(BLOCK, Uint8Array.of(1, 2, 3, 4));
        assert.deepEqual(area.read(BLOCK - 2, 8), Uint8Array.of(255, 255, 1, 2, 3, 4, 255, 255));
        assert.deepEqual(area.read(0, 0), new Uint8Array(0));
        area.eraseBlock(1);
        assert.deepEqual(area.read(BLOCK, 4), Uint8Array.of(255, 255, 255, 255));
      });

      it('a refused unerased write changes nothing and costs no flash operation', () => {
        const { nor, area } = setup(platform, 4);
        area.program(0, Uint8Array.of(0x0f, 0, 0, 0));
        const [cells, ops] = [nor.cells.slice(), nor.ops];
        assert.throws(() => area.program(0, Uint8Array.of(0x1f, 0, 0, 0)), code('not-erased'));
        assert.deepEqual(nor.cells, cells);
        assert.equal(nor.ops, ops);
        area.program(0, Uint8Array.of(0x0e, 0, 0, 0)); // clearing more bits is fine
      });

      it('checks alignment and bounds itself, before the SDK sees the call', () => {
        const { nor, area } = setup(platform, 4);
        assert.throws(() => area.program(2, new Uint8Array(4)), code('alignment'));
        assert.throws(() => area.program(0, new Uint8Array(3)), code('alignment'));
        assert.throws(() => area.program(4 * BLOCK - 4, new Uint8Array(8)), code('bounds'));
        assert.throws(() => area.read(-1, 1), code('bounds'));
        assert.throws(() => area.read(0.5, 1), code('bounds'));
        assert.throws(() => area.eraseBlock(4), code('bounds'));
        assert.throws(() => area.eraseBlock(-1), code('bounds'));
        assert.equal(nor.ops, 0);
      });

      it('a power cut surfaces as PowerCut, torn writes included', () => {
        const { nor, area } = setup(platform, 4);
        nor.armPowerCut({ at: 1, torn: true, seed: 7 });
        assert.throws(() => area.program(0, new Uint8Array(64)), PowerCut);
        assert.throws(() => area.read(0, 4), PowerCut, 'the chip stays off');
        nor.powerOn();
        assert.ok(area.read(0, 64).some((b) => b !== 0), 'a torn write left part of the data unwritten');
        nor.armPowerCut({ at: nor.ops + 1 });
        assert.throws(() => area.eraseBlock(0), PowerCut);
      });
    });
  }

  it('rejects a write size that does not divide the erase block', () => {
    virtualHost();
    installFlashPartition('storage', new NorFlash({ size: BLOCK, eraseSize: BLOCK, writeSize: 1 }));
    assert.throws(() => new ModdableFlashArea(new Flash('storage'), 3), RangeError);
    assert.throws(() => new ModdableFlashArea(new Flash('storage'), 0), RangeError);
  });

  for (const [platform, writeSize] of [['nrf52', 4], ['esp32', 1]] as Array<[HostPlatform, number]>) {
    it(`accepts and refuses exactly what a NorFlash of the same geometry does (${platform}, writeSize ${writeSize}, property)`, () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('program' as const), word: fc.integer({ min: -1, max: 64 }), data: fc.uint8Array({ minLength: 0, maxLength: 12 }) }),
        fc.record({ kind: fc.constant('erase' as const), block: fc.integer({ min: -1, max: 2 }) }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
          const { nor, area } = setup(platform, writeSize, 2);
          const model = new NorFlash({ size: 2 * BLOCK, eraseSize: BLOCK, writeSize });
          const outcome = (run: () => void) => {
            try {
              run();
              return 'ok';
            } catch (e) {
              return e instanceof FlashError ? e.code : 'other';
            }
          };
          for (const o of ops) {
            const [a, b] =
              o.kind === 'erase'
                ? [outcome(() => area.eraseBlock(o.block)), outcome(() => model.eraseBlock(o.block))]
                : [outcome(() => area.program(o.word * 4 + BLOCK - 128, o.data)), outcome(() => model.program(o.word * 4 + BLOCK - 128, o.data))];
            assert.equal(a, b, JSON.stringify(o));
          }
          assert.deepEqual(nor.cells, model.cells);
        }),
        { numRuns: 200 },
      );
    });
  }
});
