// Messages between the simulator (host/bridge/simulator.ts, the parent process that serves the
// bridge and stays up across reboots) and the simulated board (host/bridge/board-process.ts, a
// child process running the firmware; a reboot of the device is a new child). Node IPC carries them.
import type { BatteryStatus, GattEvent, GattRequest, Reply } from './protocol.js';

/** The physical world around the board, which outlives its reboots. */
export interface BoardInputs {
  button: boolean;
  battery: BatteryStatus;
  scenario: string;
}

export type ToBoard =
  | { kind: 'gatt'; request: GattRequest }
  | { kind: 'inputs'; inputs: BoardInputs }
  /** Reset button: save the flash and restart (a reboot). */
  | { kind: 'reboot' }
  /** Power cut: the flash as it is between two operations, nothing else saved, no goodbye. */
  | { kind: 'power-cut' }
  /** Ctrl-C: save and stop. */
  | { kind: 'stop' };

export type FromBoard =
  | { kind: 'trace'; text: string }
  | { kind: 'gatt-reply'; reply: Reply }
  | { kind: 'gatt-event'; event: GattEvent };

/** The BroadcastChannel between the board's main thread and its therapy thread (worker-heart.ts). */
export const INPUTS_CHANNEL = 'implant-board-inputs';

/** The board process's exit code when the device restarts: the simulator boots it again. */
export const RESTART_EXIT_CODE = 75;
