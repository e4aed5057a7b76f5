// Restarts the device through Moddable's "system" module. On esp32 System.restart() never
// returns. On nrf52 the SDK's restart is an empty function; rather than carry on as if the
// device had restarted, restart() then throws, so the caller's failure path runs.
import System from 'system';

export function restart(): never {
  System.restart();
  throw new Error('restart: System.restart() returned; this port cannot restart from JavaScript');
}
