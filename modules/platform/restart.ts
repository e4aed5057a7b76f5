// Restarts the device through the manifest's "ffi" (modules/platform/native/restart.c:
// esp_restart on ESP32, NVIC_SystemReset on nRF52), not Moddable's "system" module, whose io
// manifest links drivers the firmware never uses and whose nRF52 restart does nothing. If the call
// returns (lin, where nothing can restart), restart() throws so the caller's failure path runs.
import FFI from 'mc/ffi';

const native = new FFI();

export function restart(): never {
  const status = native.implant_restart();
  throw new Error(`restart: this platform cannot restart (status ${status})`);
}
