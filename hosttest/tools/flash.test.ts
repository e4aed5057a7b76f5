import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { UsageError } from '../../tools/cli/args.js';
import { EXIT, parseFlashArgs, runFlash } from '../../tools/flash/flash-cli.js';
import type { FlashHost } from '../../tools/flash/flash-cli.js';
import { preflight, tscMajor } from '../../tools/flash/preflight.js';
import { mcconfigArgs, parseTarget } from '../../tools/flash/targets.js';

const SDK = '/opt/moddable';
const IDF = '/opt/esp-idf';
const NRF = '/opt/nrf5/sdk';

interface FakeMachine {
  env: Record<string, string | undefined>;
  files: Set<string>;
  directories: Set<string>;
  /** Executable name → what `--version` prints (undefined: it cannot run). */
  executables: Map<string, string | undefined>;
  /** Exit status per command run. */
  status: Record<string, number>;
}

/** A machine with the Moddable SDK, TypeScript 6 and both device SDKs installed. */
function readyMachine(): FakeMachine {
  return {
    env: { MODDABLE: SDK, IDF_PATH: IDF, NRF_SDK_DIR: NRF, PATH: '/usr/bin' },
    files: new Set([`${SDK}/examples/manifest_base.json`, `${IDF}/export.sh`, `${NRF}/components/boards/moddable_four.h`]),
    directories: new Set([
      `${SDK}/build/devices`,
      `${SDK}/build/devices/esp32/targets/nodemcu`,
      `${SDK}/build/devices/esp32/targets/m5stack`,
      `${SDK}/build/devices/nrf52/targets/dk`,
      NRF,
    ]),
    executables: new Map([['mcconfig', ''], ['tsc', 'Version 6.0.3']]),
    status: {},
  };
}

interface Recorded {
  host: FlashHost;
  runs: string[][];
  made: string[];
  out: string[];
  err: string[];
}

function hostFor(machine: FakeMachine): Recorded {
  const runs: string[][] = [];
  const made: string[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const host: FlashHost = {
    root: '/repo',
    env: machine.env,
    toolsDir: 'build/bin/lin/release',
    isFile: (path) => machine.files.has(path),
    isDirectory: (path) => machine.directories.has(path),
    which: (command) => (machine.executables.has(command) ? `/bin/${command}` : undefined),
    firstLine: (command) => machine.executables.get(command.replace('/bin/', '')),
    makeDirectory: (path) => made.push(path),
    run: async (command, args) => {
      runs.push([command, ...args]);
      return machine.status[command] ?? 0;
    },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  };
  return { host, runs, made, out, err };
}

const checks = (machine: FakeMachine, target: string) => preflight(parseTarget(target), hostFor(machine).host).map((p) => p.check);

describe('flash: targets', () => {
  it('names the reference boards when only the platform is given', () => {
    assert.deepEqual(parseTarget('esp32'), { platform: 'esp32', board: 'nodemcu' });
    assert.deepEqual(parseTarget('nrf52'), { platform: 'nrf52', board: 'dk' });
    assert.deepEqual(parseTarget('esp32/m5stack'), { platform: 'esp32', board: 'm5stack' });
    assert.deepEqual(parseTarget('lin'), { platform: 'lin' });
  });

  it('refuses unknown platforms and malformed boards', () => {
    for (const bad of ['', 'esp8266', 'ESP32', 'lin/moddable_four', 'esp32/', 'esp32/a/b', 'nrf52/Bad!', 'esp32/../x', 'mac']) {
      assert.throws(() => parseTarget(bad), UsageError, bad);
    }
  });

  it('accepts only the three platforms, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const target = parseTarget(text);
          return ['esp32', 'nrf52', 'lin'].includes(target.platform) && text.startsWith(target.platform);
        } catch (error) {
          return error instanceof UsageError;
        }
      }),
    );
  });

  it('builds the mcconfig command line for each kind of build', () => {
    const manifest = '/repo/manifest.json';
    const lin = { target: parseTarget('lin'), build: 'release', check: false, buildOnly: false, clean: false, outDir: '/tmp/mc' } as const;
    assert.deepEqual(mcconfigArgs(lin, manifest), ['-m', '-p', 'lin', '-t', 'build', '-o', '/tmp/mc', manifest]);
    const esp = { target: parseTarget('esp32'), build: 'debug', check: false, buildOnly: false, clean: false } as const;
    assert.deepEqual(mcconfigArgs(esp, manifest), ['-d', '-m', '-p', 'esp32/nodemcu', manifest]);
    const nrf = { target: parseTarget('nrf52'), build: 'release', check: false, buildOnly: true, clean: false } as const;
    assert.deepEqual(mcconfigArgs(nrf, manifest), ['-m', '-p', 'nrf52/dk', '-t', 'build', manifest]);
    assert.deepEqual(mcconfigArgs(esp, manifest, 'clean'), ['-d', '-m', '-p', 'esp32/nodemcu', '-t', 'clean', manifest]);
  });
});

describe('flash: arguments', () => {
  it('defaults to a release build and reads every option', () => {
    assert.deepEqual(parseFlashArgs(['esp32/m5stack']), {
      target: { platform: 'esp32', board: 'm5stack' }, build: 'release', check: false, buildOnly: false, clean: false,
    });
    assert.deepEqual(parseFlashArgs(['nrf52', '--debug', '--build-only', '--clean', '--out', 'build/mc', '--check']), {
      target: { platform: 'nrf52', board: 'dk' }, build: 'debug', check: true, buildOnly: true, clean: true, outDir: 'build/mc',
    });
    assert.equal(parseFlashArgs(['--help']), undefined);
  });

  it('refuses contradictions, missing or extra targets and unknown flags', () => {
    for (const argv of [[], ['esp32', 'nrf52'], ['esp32', '--release', '--debug'], ['lin', '--build-only'], ['esp32', '--fast'], ['esp32', '--out']]) {
      assert.throws(() => parseFlashArgs(argv), UsageError, argv.join(' '));
    }
  });
});

describe('flash: preflight', () => {
  it('passes on a machine with every SDK installed', () => {
    for (const target of ['lin', 'esp32', 'esp32/m5stack', 'nrf52']) assert.deepEqual(checks(readyMachine(), target), [], target);
  });

  it('needs no device SDK for the Linux compile check', () => {
    const machine = readyMachine();
    machine.env.IDF_PATH = undefined;
    machine.env.NRF_SDK_DIR = undefined;
    assert.deepEqual(checks(machine, 'lin'), []);
    assert.deepEqual(checks(machine, 'esp32'), ['IDF_PATH']);
    assert.deepEqual(checks(machine, 'nrf52'), ['NRF_SDK_DIR']);
  });

  it('reports a missing, relative or wrong MODDABLE, and skips the board check then', () => {
    for (const value of [undefined, 'moddable', '/opt/elsewhere']) {
      const machine = readyMachine();
      machine.env.MODDABLE = value;
      const found = preflight(parseTarget('esp32'), hostFor(machine).host);
      assert.deepEqual(found.map((p) => p.check), ['MODDABLE'], String(value));
      assert.match(found[0].fix, /export MODDABLE=/);
    }
  });

  it('reports mcconfig missing from PATH with the folder to add', () => {
    const machine = readyMachine();
    machine.executables.delete('mcconfig');
    const found = preflight(parseTarget('lin'), hostFor(machine).host);
    assert.deepEqual(found.map((p) => p.check), ['mcconfig']);
    assert.match(found[0].fix, /\/opt\/moddable\/build\/bin\/lin\/release/);
  });

  it('needs TypeScript 6 or later', () => {
    assert.equal(tscMajor('Version 6.0.3'), 6);
    assert.equal(tscMajor('Version 10.1.0'), 10);
    assert.equal(tscMajor('tsc 6'), undefined);
    for (const version of ['Version 5.9.3', 'garbage', undefined]) {
      const machine = readyMachine();
      machine.executables.set('tsc', version);
      assert.deepEqual(checks(machine, 'lin'), ['tsc'], String(version));
    }
    const machine = readyMachine();
    machine.executables.delete('tsc');
    assert.deepEqual(checks(machine, 'lin'), ['tsc']);
  });

  it('checks that the board and the device SDKs are real', () => {
    assert.deepEqual(checks(readyMachine(), 'esp32/no_such_board'), ['board']);
    const noExport = readyMachine();
    noExport.files.delete(`${IDF}/export.sh`);
    assert.deepEqual(checks(noExport, 'esp32'), ['IDF_PATH']);
    const nordicSdk = readyMachine();
    nordicSdk.files.delete(`${NRF}/components/boards/moddable_four.h`);
    assert.deepEqual(checks(nordicSdk, 'nrf52'), ['NRF_SDK_DIR']);
    const noDir = readyMachine();
    noDir.directories.delete(NRF);
    assert.deepEqual(checks(noDir, 'nrf52'), ['NRF_SDK_DIR']);
  });

  it('lists every problem at once', () => {
    const bare: FakeMachine = { env: {}, files: new Set(), directories: new Set(), executables: new Map(), status: {} };
    assert.deepEqual(checks(bare, 'nrf52'), ['MODDABLE', 'mcconfig', 'tsc', 'NRF_SDK_DIR']);
  });
});

describe('flash: runFlash', () => {
  it('exits 2 on an unknown target and runs nothing', async () => {
    const rec = hostFor(readyMachine());
    assert.equal(await runFlash(['esp8266'], rec.host), EXIT.usage);
    assert.deepEqual(rec.runs, []);
    assert.match(rec.err.join(''), /unknown target "esp8266"/);
  });

  it('exits 3 when preflight fails and builds nothing', async () => {
    const machine = readyMachine();
    machine.env.IDF_PATH = undefined;
    const rec = hostFor(machine);
    assert.equal(await runFlash(['esp32'], rec.host), EXIT.preflight);
    assert.deepEqual(rec.runs, []);
    assert.match(rec.err.join(''), /IDF_PATH is not set/);
  });

  it('stops after preflight with --check', async () => {
    const rec = hostFor(readyMachine());
    assert.equal(await runFlash(['nrf52', '--check'], rec.host), EXIT.ok);
    assert.deepEqual(rec.runs, []);
    assert.match(rec.out.join(''), /preflight passed for nrf52\/dk/);
  });

  it('runs mcconfig only: the device image bundles no @noble', async () => {
    const rec = hostFor(readyMachine());
    assert.equal(await runFlash(['lin', '--out', '/tmp/mc'], rec.host), EXIT.ok);
    assert.deepEqual(rec.made, ['/tmp/mc']);
    assert.deepEqual(rec.runs, [
      ['mcconfig', '-m', '-p', 'lin', '-t', 'build', '-o', '/tmp/mc', '/repo/manifest.json'],
    ]);
  });

  it('with --clean deletes the previous build before building', async () => {
    const rec = hostFor(readyMachine());
    assert.equal(await runFlash(['nrf52', '--clean', '--build-only'], rec.host), EXIT.ok);
    assert.deepEqual(rec.runs, [
      ['mcconfig', '-m', '-p', 'nrf52/dk', '-t', 'clean', '/repo/manifest.json'],
      ['mcconfig', '-m', '-p', 'nrf52/dk', '-t', 'build', '/repo/manifest.json'],
    ]);
    const failing = readyMachine();
    failing.status.mcconfig = 1;
    const rec2 = hostFor(failing);
    assert.equal(await runFlash(['lin', '--clean'], rec2.host), EXIT.failed);
    assert.equal(rec2.runs.filter((r) => r[0] === 'mcconfig').length, 1, 'no build after a failed clean');
  });

  it('reports a failed mcconfig', async () => {
    const mcconfigFails = readyMachine();
    mcconfigFails.status.mcconfig = 2;
    const rec2 = hostFor(mcconfigFails);
    assert.equal(await runFlash(['esp32', '--debug'], rec2.host), EXIT.failed);
    assert.match(rec2.err.join(''), /mcconfig failed \(exit 2\)/);
  });
});
