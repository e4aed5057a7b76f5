// `implant run` (what `npm start` calls): boots main.ts on the host, with the Moddable specifiers
// served by host/shims/ on a real-time clock, and prints what the firmware does. The flash
// lives in a state directory, so the next run is a reboot of the same device (--fresh erases it).
import '../../../host/shims/xs-globals.js';
import { onRestart, setTraceSink, useRealTime } from '../../../host/shims/host-control.js';
import { intArg, UsageError } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { BUTTON_HELP, pressButtonOnEnter } from '../run/button.js';
import { ConsolePrinter, MARKER_MODES } from '../run/console-printer.js';
import type { MarkerMode } from '../run/console-printer.js';
import { DEFAULT_STATE_DIR, setUpHostBoard } from '../run/host-board.js';

const SAVE_EVERY_MS = 1000;

function intro(io: CliIO, stateDir: string, resumed: boolean, seconds: number | undefined, button: boolean): void {
  io.out([
    'Implant simulator: the device firmware (main.ts) running on this computer, with simulated',
    'flash, BLE radio and pins. Therapy starts first; each line is something the firmware did.',
    `Flash: ${stateDir} (${resumed ? 'kept from the last run: this is a reboot' : 'new device'}; --fresh starts over).`,
    ...(button ? [BUTTON_HELP] : []),
    seconds === undefined ? 'Stop with Ctrl-C.' : `Stops after ${seconds} s.`,
    '',
  ].join('\n'));
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the firmware on the host (shims, real-time clock), printing what it does',
  usage: '[--seconds N] [--state DIR] [--fresh] [--markers each|summary|none] [--json]',
  flags: {
    seconds: { type: 'string', value: 'N', description: 'stop after N seconds (default: run until Ctrl-C)' },
    state: { type: 'string', value: 'DIR', description: `keep the device's flash in DIR (default ${DEFAULT_STATE_DIR})` },
    fresh: { type: 'boolean', description: 'erase the kept flash first: a factory-new device' },
    markers: { type: 'string', value: 'MODE', description: 'pace/sense markers: each (default), summary (one line per 10 s) or none' },
    json: { type: 'boolean', description: 'one JSON object per line: {t_ms, topic, text}' },
  },
  async run(args, io) {
    const seconds = args.flags.seconds === undefined ? undefined : intArg('seconds', args.flags.seconds as string, 1, 86400);
    const markers = (args.flags.markers ?? 'each') as MarkerMode;
    if (!MARKER_MODES.includes(markers)) throw new UsageError(`--markers must be one of ${MARKER_MODES.join(', ')}`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const json = args.flags.json === true;

    const board = setUpHostBoard((args.flags.state as string | undefined) ?? DEFAULT_STATE_DIR, args.flags.fresh === true);
    const button = !json && process.stdin.isTTY === true;
    if (!json) intro(io, board.stateDir, board.resumed, seconds, button);
    const printer = new ConsolePrinter({ json, markers, summarySeconds: 10, write: (line) => io.out(line) });
    setTraceSink((text) => printer.trace(text));
    const saver = setInterval(() => board.save(), SAVE_EVERY_MS);
    const finish = (): void => {
      clearInterval(saver);
      board.save();
      printer.flush();
    };

    return new Promise<number>((resolve) => {
      const end = (code: number): void => {
        finish();
        resolve(code);
        // The therapy machine is a worker thread: end the process rather than wait for it.
        setImmediate(() => process.exit(code));
      };
      const stop = (): void => end(0);
      // Nothing runs after a restart on the device; the next `implant run` boots it again.
      onRestart(() => {
        printer.trace('the firmware restarted the device; run again to boot it (its flash is kept)\n');
        stop();
      });
      process.once('SIGINT', stop);
      if (seconds !== undefined) setTimeout(stop, seconds * 1000);
      useRealTime();
      if (button) pressButtonOnEnter((text) => io.out(text));
      import('../../../main.js').catch((error: unknown) => {
        io.err(`implant run: the firmware failed to load: ${error instanceof Error ? error.stack : String(error)}`);
        end(1);
      });
    });
  },
};
