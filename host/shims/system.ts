// Host shim of the Moddable "system" module (runtime specifier "system"; typings
// embedded_io/system.d.ts; modules/io/system), which also installs globalThis.System.
// restart(): on esp32 it never returns (esp_restart); the shim counts the restart, tells
// host-control's listener and throws SystemRestart so no firmware code runs after it. On nrf52 the
// SDK's restart is an empty function that returns, and so is the shim's.
// deepSleep() does nothing on either port. Timer wrappers as in the SDK.
// Not shimmed: resolve() (DNS; the firmware has no network). The `device` global is not installed.
import { hostPlatform, requestRestart } from './host-control.js';
import Timer from './timer.js';

class System {
  static deepSleep(_us: number, _mode: number): void {}

  static restart(): void {
    if (hostPlatform() === 'esp32') requestRestart();
  }

  static setTimeout: typeof Timer.set = (callback, interval) => Timer.set(callback, interval);
  static clearTimeout: typeof Timer.clear = (timer) => Timer.clear(timer);
  static setInterval: typeof Timer.repeat = (callback, interval) => Timer.repeat(callback, interval);
  static clearInterval: typeof Timer.clear = (timer) => Timer.clear(timer);
}

(globalThis as { System?: typeof System }).System = System;

export { System as default };
