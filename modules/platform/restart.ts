// Restarts the device through Moddable's "system" module, which exports nothing: importing it
// installs globalThis.System (modules/io/system/system.js on the boards, the simulator's own on
// lin). On esp32 System.restart() never returns. On nrf52 the SDK's restart is an empty function;
// rather than carry on as if the device had restarted, restart() then throws, so the caller's
// failure path runs.
import 'system';

export function restart(): never {
  (globalThis as unknown as { System: { restart(): void } }).System.restart();
  throw new Error('restart: System.restart() returned; this port cannot restart from JavaScript');
}
