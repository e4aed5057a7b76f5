// The pieces of `implant run` that do not need wall time: how the console is printed (lines,
// JSON, marker summaries), the flash kept in a state directory across runs (the ESP32 OTA
// layout included), and flag checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConsoleLine } from '../../modules/app/console.js';
import { main } from '../../tools/cli/main.js';
import { ConsolePrinter } from '../../tools/cli/run/console-printer.js';
import type { MarkerMode } from '../../tools/cli/run/console-printer.js';
import { setUpHostBoard } from '../../host/board/shim-board.js';
import FFI from 'mc/ffi';
import { flashPartition, otaPartitions, resetHost, SystemRestart } from '../../host/shims/host-control.js';
import { OtaImgState } from '../../host/shims/host/esp32-ota.js';

function printer(markers: MarkerMode, json = false) {
  const out: string[] = [];
  return { out, p: new ConsolePrinter({ json, markers, summarySeconds: 10, write: (l) => out.push(l) }) };
}

const boot = formatConsoleLine({ t: 12, topic: 'boot', text: 'IMPLANT-DEV firmware 0.1.0' });
const vp = (t: number) => formatConsoleLine({ t, topic: 'marker', text: 'VP ventricular pace' });

describe('implant run: console printing', () => {
  it('prints complete lines as they are, even when trace splits them', () => {
    const { out, p } = printer('each');
    p.trace(boot.slice(0, 7));
    assert.deepEqual(out, []);
    p.trace(`${boot.slice(7)}\n${vp(923)}\n`);
    assert.deepEqual(out, [boot, vp(923)]);
  });

  it('--json gives one object per line, other trace text included', () => {
    const { out, p } = printer('each', true);
    p.trace(`${boot}\nsomething else\n`);
    assert.deepEqual(out.map((l) => JSON.parse(l)), [
      { t_ms: 12, topic: 'boot', text: 'IMPLANT-DEV firmware 0.1.0' },
      { topic: 'trace', text: 'something else' },
    ]);
  });

  it('summarises markers every 10 s, and what is left at the end', () => {
    const { out, p } = printer('summary', true);
    for (let t = 923; t <= 15 * 923; t += 923) p.trace(`${vp(t)}\n`);
    p.trace(formatConsoleLine({ t: 14000, topic: 'marker', text: 'VS ventricular sense' }) + '\n');
    p.flush();
    const rows = out.map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.counts), [{ VP: 12 }, { VP: 3, VS: 1 }]);
    assert.equal(rows[0].t_ms, 12 * 923);
  });

  it('--markers none hides markers only', () => {
    const { out, p } = printer('none');
    p.trace(`${vp(923)}\n${boot}\n`);
    assert.deepEqual(out, [boot]);
  });
});

describe('implant run: the simulated board', () => {
  let dir: string;
  beforeEach(() => {
    resetHost();
    dir = mkdtempSync(join(tmpdir(), 'implant-run-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the storage partition in the state directory across runs; --fresh starts over', () => {
    const first = setUpHostBoard(dir, false);
    assert.equal(first.resumed, false);
    const flash = flashPartition('storage')!;
    flash.program(0, Uint8Array.of(0x12, 0x34));
    first.save();

    resetHost();
    const second = setUpHostBoard(dir, false);
    assert.equal(second.resumed, true);
    assert.deepEqual([...flashPartition('storage')!.read(0, 3)], [0x12, 0x34, 0xff]);

    resetHost();
    const fresh = setUpHostBoard(dir, true);
    assert.equal(fresh.resumed, false);
    assert.deepEqual([...flashPartition('storage')!.read(0, 2)], [0xff, 0xff]);
  });

  it('keeps the ESP32 OTA layout: an update activated in one run is on trial in the next, and rolled back after', () => {
    const ffi = new FFI();
    /** One `implant run`: the board powers on (the bootloader runs), `during` runs, the flash is saved. */
    const run = (during: () => void) => {
      resetHost();
      const board = setUpHostBoard(dir, false);
      during();
      board.save();
    };
    run(() => {
      assert.equal(otaPartitions()!.runningSlot(), 0);
      assert.equal(flashPartition('running')!.read(0, 1)[0], 0xe9, 'ota_0 holds the development image');
      flashPartition('nextota')!.program(0, Uint8Array.of(0xe9, 1)); // an image in ota_1 for esp_ota_set_boot_partition to verify
      assert.equal(ffi.implant_ota_activate_next(), 0);
    });
    run(() => {
      assert.deepEqual([...flashPartition('running')!.read(0, 2)], [0xe9, 1], '"running" is ota_1 now');
      assert.equal(ffi.implant_ota_running_state(), OtaImgState.PENDING_VERIFY);
    }); // stopped without confirming
    run(() => {
      assert.equal(otaPartitions()!.runningSlot(), 0, 'ESP-IDF aborted the unconfirmed trial');
      assert.equal(ffi.implant_ota_running_state(), OtaImgState.VALID);
      assert.equal(ffi.implant_ota_activate_next(), 0, 'the update may be retried');
    });
    run(() => assert.throws(() => ffi.implant_ota_revert(), SystemRestart, 'rolling back to the development image is possible'));
    run(() => assert.equal(otaPartitions()!.runningSlot(), 0));
  });

  it('refuses a state file of the wrong size rather than boot on it', () => {
    writeFileSync(join(dir, 'esp32-storage.bin'), new Uint8Array(100));
    assert.throws(() => setUpHostBoard(dir, false), /not a 196608-byte flash image/);
  });

  it('rejects bad flags with exit code 2 before touching anything', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => void err.push(t) };
    assert.equal(await main(['run', '--markers', 'loud'], io), 2);
    assert.equal(await main(['run', '--seconds', '0'], io), 2);
    assert.equal(await main(['run', 'extra'], io), 2);
    assert.equal(err.length, 3);
  });
});
