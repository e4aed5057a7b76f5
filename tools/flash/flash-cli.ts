// `npm run flash -- <target> [--release|--debug] [--check] [--build-only] [--clean] [--out DIR]`:
// preflight, then mcconfig (the device takes its curves from native libraries, so no @noble bundle). The machine is reached only through
// FlashHost, so tests drive every path with a fake one.
import { formatFlags, parseArgs, UsageError } from '../cli/args.js';
import type { FlagSpecs } from '../cli/args.js';
import { preflight } from './preflight.js';
import type { Probe } from './preflight.js';
import { DEFAULT_BOARDS, mcconfigArgs, parseTarget, platformSpec } from './targets.js';
import type { FlashOptions } from './targets.js';

export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, preflight: 3 });

export interface FlashHost extends Probe {
  /** Repository root (where manifest.json lives). */
  root: string;
  /** Creates a directory and its parents (mcconfig refuses an -o directory that is missing). */
  makeDirectory(path: string): void;
  /** Runs a command with inherited stdio in `root`; resolves to its exit status. */
  run(command: string, args: string[]): Promise<number>;
  out(text: string): void;
  err(text: string): void;
}

const FLAGS: FlagSpecs = {
  release: { type: 'boolean', description: 'release build: no debugger, console output suppressed (default)' },
  debug: { type: 'boolean', short: 'd', description: 'debug build for xsbug' },
  check: { type: 'boolean', description: 'run the preflight checks only' },
  'build-only': { type: 'boolean', description: 'build for the device without deploying it' },
  clean: { type: 'boolean', description: 'delete the previous build first (after changing the preload list)' },
  out: { type: 'string', short: 'o', value: 'DIR', description: 'mcconfig output directory (default $MODDABLE/build)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export const USAGE = `usage: npm run flash -- <esp32|esp32/BOARD|nrf52|nrf52/BOARD|lin> [options]

  esp32 = esp32/${DEFAULT_BOARDS.esp32}, nrf52 = nrf52/${DEFAULT_BOARDS.nrf52} (nRF52840 DK); lin compiles the firmware for
  Moddable's Linux simulator as a toolchain check and never launches it.

${formatFlags(FLAGS)}

exit codes: 0 done, 1 bundling or mcconfig failed, 2 usage error, 3 preflight failed`;

/** Returns the options, or undefined when help was asked for. Throws UsageError. */
export function parseFlashArgs(argv: string[]): FlashOptions | undefined {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) return undefined;
  if (positionals.length !== 1) throw new UsageError('expected exactly one target');
  if (flags.release && flags.debug) throw new UsageError('--release and --debug exclude each other');
  const target = parseTarget(positionals[0]);
  if (flags['build-only'] && target.platform === 'lin') throw new UsageError('--build-only is for devices; lin always only builds');
  const options: FlashOptions = {
    target,
    build: flags.debug ? 'debug' : 'release',
    check: flags.check === true,
    buildOnly: flags['build-only'] === true,
    clean: flags.clean === true,
  };
  if (typeof flags.out === 'string') options.outDir = flags.out;
  return options;
}

export async function runFlash(argv: string[], host: FlashHost): Promise<number> {
  let options: FlashOptions | undefined;
  try {
    options = parseFlashArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    host.err(`flash: ${error.message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (!options) {
    host.out(`${USAGE}\n`);
    return EXIT.ok;
  }
  const spec = platformSpec(options.target);
  const problems = preflight(options.target, host);
  if (problems.length > 0) {
    for (const p of problems) host.err(`flash: ${p.check}: ${p.message}\n  fix: ${p.fix}\n`);
    host.err(`flash: ${problems.length} preflight problem(s) for ${spec}; nothing was built\n`);
    return EXIT.preflight;
  }
  host.out(`flash: preflight passed for ${spec}\n`);
  if (options.check) return EXIT.ok;

  if (options.outDir !== undefined) host.makeDirectory(options.outDir);
  const manifest = `${host.root}/manifest.json`;
  if (options.clean) {
    const cleaned = await host.run('mcconfig', mcconfigArgs(options, manifest, 'clean'));
    if (cleaned !== 0) {
      host.err(`flash: mcconfig -t clean failed (exit ${cleaned})\n`);
      return EXIT.failed;
    }
  }
  const args = mcconfigArgs(options, manifest);
  host.out(`flash: mcconfig ${args.join(' ')}\n`);
  const status = await host.run('mcconfig', args);
  if (status !== 0) {
    host.err(`flash: mcconfig failed (exit ${status})\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}
