// Build targets of `npm run flash` and the mcconfig command line each one needs.
// Flags follow mcconfig's documented interface (Moddable SDK 8.x, tools/mcconfig.md).
import { UsageError } from '../cli/args.js';

export type Platform = 'esp32' | 'nrf52' | 'lin';

/** The reference board used when only the platform is named (docs/architecture.md). */
export const DEFAULT_BOARDS = Object.freeze({ esp32: 'nodemcu', nrf52: 'dk' });

export interface Target {
  platform: Platform;
  /** Moddable sub-platform (a folder of $MODDABLE/build/devices/<platform>/targets). */
  board?: string;
}

export type BuildKind = 'release' | 'debug';

export interface FlashOptions {
  target: Target;
  build: BuildKind;
  /** Run the preflight checks only. */
  check: boolean;
  /** Build for a device without deploying it. */
  buildOnly: boolean;
  /** Delete mcconfig's previous output first (needed after a change to the preload list). */
  clean: boolean;
  /** mcconfig output directory (-o); Moddable's default is $MODDABLE/build. */
  outDir?: string;
}

const BOARD_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function parseTarget(text: string): Target {
  const [platform, board, extra] = text.split('/');
  if (platform === 'lin' && board === undefined) return { platform };
  if (platform !== 'esp32' && platform !== 'nrf52') {
    throw new UsageError(`unknown target "${text}": use esp32, esp32/BOARD, nrf52, nrf52/BOARD or lin`);
  }
  if (board === undefined) return { platform, board: DEFAULT_BOARDS[platform] };
  if (extra !== undefined || !BOARD_NAME.test(board)) {
    throw new UsageError(`malformed board in "${text}": expected ${platform}/BOARD with BOARD a Moddable sub-platform name`);
  }
  return { platform, board };
}

/** The value of mcconfig's -p option. */
export function platformSpec(target: Target): string {
  return target.board === undefined ? target.platform : `${target.platform}/${target.board}`;
}

/**
 * mcconfig's arguments. The Linux build is a compile check: it always stops after building
 * (`-t build`), because mcconfig's default target would launch the simulator. With `target`
 * 'clean', the arguments that delete this configuration's previous output.
 */
export function mcconfigArgs(options: FlashOptions, manifestPath: string, target?: 'clean'): string[] {
  const args: string[] = [];
  if (options.build === 'debug') args.push('-d');
  args.push('-m', '-p', platformSpec(options.target));
  if (target) args.push('-t', target);
  else if (options.target.platform === 'lin' || options.buildOnly) args.push('-t', 'build');
  if (options.outDir !== undefined) args.push('-o', options.outDir);
  args.push(manifestPath);
  return args;
}
