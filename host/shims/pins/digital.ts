// Host shim of Moddable "pins/digital" (typings/pins/digital.d.ts; modules/pins/digital/digital.c
// with the esp32 and nrf52 GPIO drivers) over host-control's pin bank. As on the device:
// - an unknown mode, a pin the port lacks, an output on ESP32's input-only GPIO34...39,
//   InputPullUpDown on nRF52 or a port name on ESP32 throws "can't init pin"; mode() throws
//   "unsupported mode"; a missing dictionary field throws "pin missing" / "mode missing";
// - writing an input pin only sets its output register (the line does not move);
// - reading an output pin gives 0 on ESP32 (input buffer off) and the output register on nRF52;
// - configuring an output on ESP32 first drives it low (gpio_set_level(pin, 0));
// - any use after close() throws the SDK's host-chunk error.
import { hostPlatform, pins } from '../host-control.js';
import { baseMode, portAccepts } from '../host/gpio-port.js';
import { PinMode } from '../host/pin-bank.js';
import { toInt32 } from '../host/xs-values.js';

type Input = 0;
type InputPullUp = 1;
type InputPullDown = 2;
type InputPullUpDown = 3;
type Output = 8;
type OutputOpenDrain = 9;
export type Mode = Input | InputPullUp | InputPullDown | InputPullUpDown | Output | OutputOpenDrain;

function isOutput(mode: number): boolean {
  return mode === PinMode.Output || mode === PinMode.OutputOpenDrain;
}

/** modGPIOSetMode: configures the line, or returns false where the port's driver fails. */
function setMode(pin: number, mode: number): boolean {
  if (!portAccepts(pin, mode)) return false;
  const m = baseMode(mode);
  if (isOutput(m) && hostPlatform() === 'esp32') pins().setLatch(pin, 0);
  pins().configure(pin, m);
  return true;
}

/** modGPIORead. */
function readPin(pin: number): number {
  const mode = pins().mode(pin) ?? PinMode.Input;
  if (!isOutput(mode)) return pins().level(pin);
  return hostPlatform() === 'nrf52' ? pins().latch(pin) : 0;
}

export class Digital {
  #pin: number | undefined;

  public constructor(dictionary: { pin: number; mode: number; port?: string });
  public constructor(pin: number, mode: number);
  public constructor(port: string, pin: number, mode: number);
  public constructor(...args: [{ pin: number; mode: number; port?: string; wakeEdge?: number }] | [number, number] | [string, number, number]) {
    let pin: number, mode: number, port: string | undefined;
    if (args.length === 1) {
      const dictionary = args[0];
      if (!('pin' in dictionary)) throw new Error('pin missing');
      if (!('mode' in dictionary)) throw new Error('mode missing');
      [pin, mode] = [toInt32(dictionary.pin), toInt32(dictionary.mode) | toInt32(dictionary.wakeEdge)];
      if ('port' in dictionary) port = String(dictionary.port);
    } else if (args.length === 2) {
      [pin, mode] = [toInt32(args[0]), toInt32(args[1])];
    } else {
      [pin, mode] = [toInt32(args[1]), toInt32(args[2])];
      if (args[0]) port = String(args[0]);
    }
    if ((port !== undefined && hostPlatform() === 'esp32') || !setMode(pin, mode)) throw new Error("can't init pin");
    this.#pin = pin;
  }

  public read(): number {
    return readPin(this.#open());
  }

  public write(value: number): void {
    pins().setLatch(this.#open(), toInt32(value) ? 1 : 0);
  }

  public mode(mode: Mode): void {
    if (!setMode(this.#open(), toInt32(mode))) throw new Error('unsupported mode');
  }

  public close(): void {
    this.#open();
    this.#pin = undefined;
  }

  public static read(pin: number): number {
    const p = toInt32(pin);
    if (!setMode(p, PinMode.Input)) throw new Error("can't init pin");
    return readPin(p);
  }

  public static write(pin: number, value: number): void {
    const p = toInt32(pin);
    if (!setMode(p, PinMode.Output)) throw new Error("can't init pin");
    pins().setLatch(p, toInt32(value) ? 1 : 0);
  }

  #open(): number {
    if (this.#pin === undefined) throw new SyntaxError('C: xsGetHostChunk: no host data');
    return this.#pin;
  }

  public static readonly Input: Input = 0;
  public static readonly InputPullUp: InputPullUp = 1;
  public static readonly InputPullDown: InputPullDown = 2;
  public static readonly InputPullUpDown: InputPullUpDown = 3;
  public static readonly Output: Output = 8;
  public static readonly OutputOpenDrain: OutputOpenDrain = 9;
}

export { Digital as default };
