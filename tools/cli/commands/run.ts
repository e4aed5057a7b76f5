// `implant run` (what `npm start` calls): boots main.ts on the host, with the Moddable specifiers
// served by host/shims/ on a real-time clock, and prints what the firmware does. The flash
// lives in a state directory, so the next run is a reboot of the same device (--fresh erases it).
// With the bridge (docs/bridge.md) the firmware runs in a child process, `implant run --board`,
// which the simulator boots again after every restart; this process serves 127.0.0.1.
import '../../../host/shims/xs-globals.js';
import { fileURLToPath } from 'node:url';
import { bootFirmware } from '../../../host/bridge/boot.js';
import { prepareBoardWorld, serveSimulator } from '../../../host/bridge/board-process.js';
import { devTrust } from '../../../host/bridge/dev-identities.js';
import { DEFAULT_PORT, DEFAULT_SCENARIO, startSimulator } from '../../../host/bridge/simulator.js';
import { onRestart, useRealTime } from '../../../host/shims/host-control.js';
import { intArg, UsageError } from '../args.js';
import type { Parsed } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { BUTTON_HELP, pressButtonOnEnter } from '../run/button.js';
import { ConsolePrinter, MARKER_MODES } from '../run/console-printer.js';
import type { MarkerMode } from '../run/console-printer.js';
import { DEFAULT_STATE_DIR, setUpHostBoard } from '../../../host/board/shim-board.js';

const SAVE_EVERY_MS = 1000;

function intro(io: CliIO, stateDir: string, seconds: number | undefined, button: boolean): void {
  io.out([
    'Implant simulator: the device firmware (main.ts) running on this computer, with simulated',
    'flash, BLE radio, pins and a virtual heart. Therapy starts first; each line is something the firmware did.',
    `Flash and DEVELOPMENT KEYS: ${stateDir} (kept between runs: a new run is a reboot; --fresh starts over).`,
    ...(button ? [BUTTON_HELP] : []),
    seconds === undefined ? 'Stop with Ctrl-C.' : `Stops after ${seconds} s.`,
    '',
  ].join('\n'));
}

const CLI_ENTRY = fileURLToPath(new URL('../../../bin/implant.mjs', import.meta.url));

/** One boot of the simulated board (a child of the simulator): the firmware until it restarts or is stopped. */
function runBoard(stateDir: string, fresh: boolean): Promise<number> {
  const board = setUpHostBoard(stateDir, fresh);
  prepareBoardWorld();
  const simulator = serveSimulator({ save: () => board.save() });
  setInterval(() => board.save(), SAVE_EVERY_MS);
  // Nothing runs after a restart on the device; the simulator boots the board again.
  onRestart(() => simulator.restarted());
  useRealTime();
  return bootFirmware(devTrust(stateDir)).then(() => new Promise<number>(() => {}));
}

async function runSimulator(args: Parsed, io: CliIO, seconds: number | undefined, markers: MarkerMode): Promise<number> {
  const json = args.flags.json === true;
  const port = intArg('port', args.flags.port as string | undefined, 0, 65535, DEFAULT_PORT);
  const stateDir = (args.flags.state as string | undefined) ?? DEFAULT_STATE_DIR;
  const fresh = args.flags.fresh === true;
  const button = !json && process.stdin.isTTY === true;
  const printer = new ConsolePrinter({ json, markers, summarySeconds: 10, write: (line) => io.out(line) });
  const say = (line: string): void => (json ? io.out(JSON.stringify({ topic: 'simulator', text: line })) : io.out(line));
  if (!json) intro(io, stateDir, seconds, button);
  return new Promise<number>((resolve, reject) => {
    let stopping = false;
    const end = (code: number): void => {
      if (stopping) return;
      stopping = true;
      void started.then((sim) => sim.stop()).finally(() => {
        printer.flush();
        resolve(code);
        setImmediate(() => process.exit(code));
      });
    };
    const started = startSimulator({
      port, stateDir, fresh,
      scenario: (args.flags.scenario as string | undefined) ?? DEFAULT_SCENARIO,
      boardModule: CLI_ENTRY,
      boardArgs: (first) => ['run', '--board', '--state', stateDir, ...(first ? ['--fresh'] : [])],
      onTrace: (text) => printer.trace(text),
      say,
      onFault: (description) => {
        say(description);
        end(1);
      },
    });
    started.then((sim) => {
      if (button) pressButtonOnEnter((held) => sim.setButton(held), (text) => io.out(text));
    }, (error: unknown) => {
      if (error instanceof RangeError) return reject(new UsageError(error.message));
      io.err(`implant run: ${error instanceof Error ? error.message : String(error)}`);
      resolve(1);
    });
    process.once('SIGINT', () => end(0));
    process.once('SIGTERM', () => end(0));
    if (seconds !== undefined) setTimeout(() => end(0), seconds * 1000);
  });
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the firmware on the host (real-time clock, virtual heart) and serve the web app and bridge on 127.0.0.1',
  usage: '[--port N] [--seconds N] [--state DIR] [--fresh] [--scenario NAME] [--markers each|summary|none] [--json]',
  flags: {
    port: { type: 'string', value: 'N', description: `serve the web app and the bridge on 127.0.0.1:N (default ${DEFAULT_PORT}; 0 picks a free port)` },
    seconds: { type: 'string', value: 'N', description: 'stop after N seconds (default: run until Ctrl-C)' },
    state: { type: 'string', value: 'DIR', description: `keep the device's flash and development keys in DIR (default ${DEFAULT_STATE_DIR})` },
    fresh: { type: 'boolean', description: 'erase the kept flash and keys first: a factory-new device' },
    scenario: { type: 'string', value: 'NAME', description: `the virtual heart's rhythm (host/heart/scenarios; default ${DEFAULT_SCENARIO})` },
    markers: { type: 'string', value: 'MODE', description: 'pace/sense markers: each (default), summary (one line per 10 s) or none' },
    json: { type: 'boolean', description: 'one JSON object per line: {t_ms, topic, text}' },
    board: { type: 'boolean', description: 'internal: be the simulated board (a child of the simulator)' },
  },
  async run(args, io) {
    const seconds = args.flags.seconds === undefined ? undefined : intArg('seconds', args.flags.seconds as string, 1, 86400);
    const markers = (args.flags.markers ?? 'each') as MarkerMode;
    if (!MARKER_MODES.includes(markers)) throw new UsageError(`--markers must be one of ${MARKER_MODES.join(', ')}`);
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const stateDir = (args.flags.state as string | undefined) ?? DEFAULT_STATE_DIR;
    if (args.flags.board === true) return runBoard(stateDir, args.flags.fresh === true);
    return runSimulator(args, io, seconds, markers);
  },
};
