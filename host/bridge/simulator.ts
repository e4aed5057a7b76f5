// `npm start` with its bridge (docs/bridge.md): the simulated board in a child process that is
// booted again after each restart, the server on 127.0.0.1 (web app, /api, /bridge, /control),
// the development identities of the state directory, and on a new device the factory step.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE } from '../../modules/app/firmware-info.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { SCENARIO_NAMES } from '../heart/closed-loop.js';
import { hostPlatform } from '../shims/host-control.js';
import { WallClock } from '../shims/host/wall-clock.js';
import { BoardSupervisor } from './board-supervisor.js';
import { DEV_KEYS_DIR, devIdentitiesJson, ensureDevIdentities, loadDevIdentities } from './dev-identities.js';
import { provisionDevice } from './factory.js';
import { BATTERY_VOLTS, batteryStatusOf, BRIDGE_PROTOCOL } from './protocol.js';
import type { ControlRequest, SimState } from './protocol.js';
import { startBridgeServer } from './server.js';

export const DEFAULT_PORT = 8080;
/** Slow enough that the device paces at its lower rate, so programming it shows in the markers. */
export const DEFAULT_SCENARIO = 'sinus-bradycardia';

export interface SimulatorOptions {
  readonly port: number;
  readonly stateDir: string;
  readonly fresh: boolean;
  readonly scenario: string;
  /** The module and its arguments that boot one board (`implant run --board ...`). */
  readonly boardModule: string;
  readonly boardArgs: (fresh: boolean) => string[];
  readonly onTrace: (text: string) => void;
  /** The simulator's own lines (URL, factory step). */
  readonly say: (line: string) => void;
  readonly onFault: (description: string) => void;
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  /** The board's button (the terminal's Enter key). */
  setButton(held: boolean): void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const scenarios = [...SCENARIO_NAMES];
  if (!scenarios.includes(options.scenario)) throw new RangeError(`unknown scenario ${options.scenario} (one of ${scenarios.join(', ')})`);
  if (options.fresh) rmSync(join(options.stateDir, DEV_KEYS_DIR), { recursive: true, force: true });
  const made = ensureDevIdentities(nobleProvider, options.stateDir);
  const ids = loadDevIdentities(options.stateDir)!;
  let voltage: number | undefined;

  const board = new BoardSupervisor({
    module: options.boardModule,
    args: (boot) => options.boardArgs(options.fresh && boot === 1),
    inputs: { button: false, battery: 'BOL', scenario: options.scenario },
    onTrace: options.onTrace,
    onCrash: options.say,
    onFault: options.onFault,
  });
  const state = (): SimState => ({
    scenario: board.inputs.scenario,
    scenarios,
    button: board.inputs.button,
    battery: { voltage: voltage ?? BATTERY_VOLTS[board.inputs.battery], status: board.inputs.battery },
    board: hostPlatform(),
    firmware: FIRMWARE.version,
    devIdentities: true,
  });
  const control = (request: ControlRequest): Record<string, unknown> => {
    switch (request.op) {
      case 'state':
        return { ...state() };
      case 'button':
        board.setInputs({ button: request.held });
        return {};
      case 'scenario':
        board.setInputs({ scenario: request.name });
        return {};
      case 'battery':
        voltage = request.voltage;
        board.setInputs({ battery: request.status ?? batteryStatusOf(request.voltage!) });
        return {};
      case 'reboot':
        board.reboot();
        return {};
      case 'power-cut':
        board.cutPower();
        return {};
    }
  };
  const server = await startBridgeServer({
    port: options.port,
    board,
    scenarios,
    control,
    state: () => ({ simulator: 'implant', protocol: BRIDGE_PROTOCOL, ...state(), booted: board.booted, boots: board.boots, centralConnected: board.connected, provisioned: ids.device !== undefined }),
    devIdentities: () => devIdentitiesJson(ids),
  });
  const url = `http://127.0.0.1:${server.port}/`;
  options.say(`Open ${url} (bridge ws://127.0.0.1:${server.port}/bridge). DEVELOPMENT KEYS ${made ? 'made' : 'kept'} in ${ids.dir}.`);
  board.start();
  if (!ids.device) {
    options.say('factory: provisioning the new device with the development root (button held, XX as manufacturer, access.provision)');
    try {
      const key = await provisionDevice(board, ids, nobleProvider, new WallClock());
      options.say(`factory: device provisioned; its static key ${Buffer.from(key).toString('hex').slice(0, 16)}... is in ${ids.dir}`);
    } catch (error) {
      options.say(`factory: provisioning failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    url,
    port: server.port,
    setButton: (held) => board.setInputs({ button: held }),
    async stop() {
      await board.stop();
      await server.close();
    },
  };
}
