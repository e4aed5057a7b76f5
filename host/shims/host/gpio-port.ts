// Which pins and modes each port's GPIO driver accepts (modules/pins/digital/esp32/modGPIO.c,
// nrf52/modGPIO.c), shared by the pins/digital and pins/digital/monitor shims.
import { hostPlatform } from '../host-control.js';
import { PinMode } from './pin-bank.js';

/** nRF52 wake-on-edge flags that ride along in the mode number (Digital.WakeOnRise / WakeOnFall). */
const WAKE_FLAGS = (1 << 6) | (1 << 7);

/** True when the port's driver would configure `pin` in `mode` (wake flags ignored). */
export function portAccepts(pin: number, mode: number): boolean {
  const m = mode & ~WAKE_FLAGS;
  const output = m === PinMode.Output || m === PinMode.OutputOpenDrain;
  if (!(Object.values(PinMode) as number[]).includes(m)) return false;
  if (hostPlatform() === 'nrf52') return pin >= 0 && pin <= 47 && m !== PinMode.InputPullUpDown; // P0.00...P1.15, no pull-up+down
  return pin >= 0 && pin <= 39 && !(output && pin >= 34); // ESP32 GPIO0...39; 34...39 are input-only
}

export function baseMode(mode: number): number {
  return mode & ~WAKE_FLAGS;
}
