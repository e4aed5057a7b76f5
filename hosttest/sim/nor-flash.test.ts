import * as assert from 'node:assert/strict';
import { FlashError } from '../../modules/core/flash-area.js';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';

const geometry = { size: 4 * 4096, eraseSize: 4096, writeSize: 4 };

describe('NorFlash simulator', () => {
  it('starts erased and programs only by clearing bits', () => {
    const flash = new NorFlash(geometry);
    assert.deepEqual(flash.read(0, 4), Uint8Array.of(255, 255, 255, 255));
    flash.program(0, Uint8Array.of(0xf0, 0x0f, 0xff, 0x00));
    flash.program(0, Uint8Array.of(0x30, 0x0f, 0xfe, 0x00)); // clearing more bits is allowed
    assert.deepEqual(flash.read(0, 4), Uint8Array.of(0x30, 0x0f, 0xfe, 0x00));
    assert.throws(() => flash.program(0, Uint8Array.of(0x31, 0, 0, 0)), (e: FlashError) => e.code === 'not-erased');
    assert.deepEqual(flash.read(0, 4), Uint8Array.of(0x30, 0x0f, 0xfe, 0x00), 'a refused program changes nothing');
  });

  it('enforces alignment and bounds', () => {
    const flash = new NorFlash(geometry);
    assert.throws(() => flash.program(2, new Uint8Array(4)), (e: FlashError) => e.code === 'alignment');
    assert.throws(() => flash.program(0, new Uint8Array(3)), (e: FlashError) => e.code === 'alignment');
    assert.throws(() => flash.program(geometry.size - 4, new Uint8Array(8)), (e: FlashError) => e.code === 'bounds');
    assert.throws(() => flash.read(-1, 1), (e: FlashError) => e.code === 'bounds');
    assert.throws(() => flash.eraseBlock(4), (e: FlashError) => e.code === 'bounds');
  });

  it('erases a whole block to 0xFF and counts wear', () => {
    const flash = new NorFlash(geometry);
    flash.program(4096, new Uint8Array(8));
    flash.program(0, new Uint8Array(4));
    flash.eraseBlock(1);
    assert.deepEqual(flash.read(4096, 8), new Uint8Array(8).fill(255));
    assert.deepEqual(flash.read(0, 4), new Uint8Array(4), 'other blocks untouched');
    assert.equal(flash.eraseCounts[1], 1);
  });

  it('cuts power at the chosen operation and stays off until powerOn', () => {
    const flash = new NorFlash(geometry);
    flash.armPowerCut({ at: 2 });
    flash.program(0, new Uint8Array(4));
    assert.throws(() => flash.program(4, new Uint8Array(4)), PowerCut);
    assert.deepEqual(flash.cells.slice(4, 8), new Uint8Array(4).fill(255), 'untorn cut: nothing written');
    assert.throws(() => flash.read(0, 4), PowerCut);
    flash.powerOn();
    assert.deepEqual(flash.read(0, 4), new Uint8Array(4));
  });

  it('tears a program: a prefix lands, the rest does not', () => {
    let sawPartial = false;
    for (let seed = 1; seed < 50; seed++) {
      const flash = new NorFlash(geometry);
      flash.armPowerCut({ at: 1, torn: true, seed });
      assert.throws(() => flash.program(0, new Uint8Array(64)), PowerCut);
      const cells = flash.cells.slice(0, 64);
      const firstErased = cells.findIndex((b) => b === 0xff);
      assert.ok(firstErased < 64, 'a torn program never completes');
      assert.ok(cells.slice(firstErased + 1).every((b) => b === 0xff), 'nothing lands after the tear point');
      if (cells.some((b) => b !== 0 && b !== 0xff)) sawPartial = true;
    }
    assert.ok(sawPartial, 'some tears leave a partly programmed byte');
  });

  it('tears an erase: the block is neither old nor erased', () => {
    const flash = new NorFlash(geometry);
    flash.program(0, new Uint8Array(4096));
    flash.armPowerCut({ at: 2, torn: true, seed: 7 });
    assert.throws(() => flash.eraseBlock(0), PowerCut);
    const block = flash.cells.slice(0, 4096);
    assert.ok(block.some((b) => b === 0xff) && block.some((b) => b !== 0xff));
  });
});
