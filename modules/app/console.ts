// What the firmware tells its console: one event per line, "[seconds] topic: text", e.g.
//   [    0.923] marker: VP ventricular pace
// The board prints these lines on its serial console (trace); `implant run` reads the same lines
// back (host/console-line.ts) to print them, summarise markers, or emit them as JSON. The device
// only formats: parsing needs a RegExp, and the image carries no regular-expression engine
// (docs/memory.md).

/** What the line is about; a reader can filter on it. */
export type ConsoleTopic =
  | 'boot'      // start-up steps and their order
  | 'therapy'   // pacing mode, backup pacing, self-test
  | 'marker'    // one pace or sense event of the therapy machine
  | 'storage'   // mount figures, recovery, faults
  | 'update'    // firmware update transfer, trial boot, confirm, revert
  | 'access'    // pairing window, pairing code, tamper, provisioning state
  | 'radio'     // advertising, connections
  | 'session'   // secure-channel sessions opened, closed, refused
  | 'fault';    // something failed; the firmware carries on in a safe state

export const CONSOLE_TOPICS: readonly ConsoleTopic[] = Object.freeze(['boot', 'therapy', 'marker', 'storage', 'update', 'access', 'radio', 'session', 'fault']);

export interface ConsoleEvent {
  /** Milliseconds on the firmware's clock (since boot). */
  readonly t: number;
  readonly topic: ConsoleTopic;
  readonly text: string;
}

export function formatConsoleLine(event: ConsoleEvent): string {
  const seconds = (Math.max(0, event.t) / 1000).toFixed(3);
  return `[${seconds.padStart(9)}] ${event.topic}: ${event.text}`;
}
