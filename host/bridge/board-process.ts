// The simulated board's end of the simulator (a child process; host/bridge/simulator.ts is the
// parent): carries the parent's GATT operations to the bridge central, the physical inputs to the
// pins (the button on this thread for the main machine's presence watch, and everything in the
// therapy thread through worker-heart.ts), and the firmware's console back to the parent.
import { BroadcastChannel } from 'node:worker_threads';
import { pinsFromConfig } from '../../modules/therapy/pin-maps.js';
import config from '../shims/mc/config.js';
import { pins, setTraceSink, setWorkerPreloads } from '../shims/host-control.js';
import { addNeighbours } from '../ble/neighbours.js';
import { AttError, bleRadio } from '../ble/radio.js';
import { BridgeCentral, GattRefusal } from './central.js';
import { INPUTS_CHANNEL, RESTART_EXIT_CODE } from './board-messages.js';
import type { BoardInputs, FromBoard, ToBoard } from './board-messages.js';
import type { Reply } from './protocol.js';

export interface BoardHooks {
  /** Writes the flash images to the state directory (between two flash operations). */
  save(): void;
}

/** True when this process was started by the simulator with an IPC channel. */
export function underSimulator(): boolean {
  return typeof process.send === 'function';
}

function send(message: FromBoard): void {
  process.send?.(message);
}

/** Call before the firmware loads: the therapy thread gets the heart and the input lines; the air gets neighbours. */
export function prepareBoardWorld(): void {
  addNeighbours(bleRadio());
  setWorkerPreloads([new URL('./worker-heart.ts', import.meta.url).href]);
  setTraceSink((text) => send({ kind: 'trace', text }));
}

/** Serves the parent's messages until it stops, reboots or cuts the power of this board. */
export function serveSimulator(hooks: BoardHooks): { restarted(): void } {
  const central = new BridgeCentral((event) => send({ kind: 'gatt-event', event }));
  const magnet = pinsFromConfig(config).magnet;
  let inputs: BoardInputs | undefined;
  const channel = new BroadcastChannel(INPUTS_CHANNEL);
  channel.unref();
  channel.onmessage = () => inputs && channel.postMessage(inputs);

  const exit = (code: number, save: boolean): void => {
    if (save) hooks.save();
    // The therapy machine is a worker thread: end the process rather than wait for it.
    process.exit(code);
  };
  process.on('message', (message: ToBoard) => {
    switch (message.kind) {
      case 'gatt': {
        const { id } = message.request;
        let reply: Reply;
        try {
          reply = { id, ok: true, ...central.run(message.request) };
        } catch (error) {
          if (!(error instanceof GattRefusal || error instanceof AttError || error instanceof RangeError)) throw error;
          reply = { id, ok: false, error: error.message };
        }
        send({ kind: 'gatt-reply', reply });
        return;
      }
      case 'inputs':
        inputs = message.inputs;
        pins().drive(magnet, inputs.button ? 0 : 1);
        channel.postMessage(inputs);
        return;
      case 'reboot':
        return exit(RESTART_EXIT_CODE, true);
      case 'power-cut':
        hooks.save(); // the flash as it is now: no operation is half done between two turns
        process.kill(process.pid, 'SIGKILL');
        return;
      case 'stop':
        return exit(0, true);
    }
  });
  process.on('disconnect', () => exit(0, true));
  // Ctrl-C in a terminal reaches the whole process group: the simulator stops the board itself
  // (save, then exit), so the board does not die on the signal with its last second unsaved.
  process.on('SIGINT', () => {});
  return {
    /** The firmware asked for a restart (System.restart, e.g. after an update's activation). */
    restarted() {
      exit(RESTART_EXIT_CODE, true);
    },
  };
}
