// `implant run`: boots main.ts on the host, with the Moddable shims on a real-time clock,
// printing what the firmware does (trace output) until interrupted or --seconds elapse.
import '../../../hosttest/shims/xs-globals.js';
import { useRealTime } from '../../../hosttest/shims/host-control.js';
import { intArg } from '../args.js';
import type { Command } from '../command.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'run the firmware on the host (shims, real-time clock)',
  usage: '[--seconds N]',
  flags: {
    seconds: { type: 'string', value: 'N', description: 'stop after N seconds (default: run until Ctrl-C)' },
  },
  async run(args) {
    const seconds = args.flags.seconds === undefined ? undefined : intArg('seconds', args.flags.seconds as string, 1, 86400);
    useRealTime();
    await import('../../../main.js');
    if (seconds !== undefined) setTimeout(() => process.exit(0), seconds * 1000);
    return new Promise<number>(() => {});
  },
};
