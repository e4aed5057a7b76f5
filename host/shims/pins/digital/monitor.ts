// Host shim of Moddable "pins/digital/monitor" (typings/pins/digital/monitor.d.ts;
// modules/pins/digital/monitor/esp32 and nrf52) over host-control's pin bank. As on the device:
// - the pin becomes an input (pull-up/-down per mode; an output mode is taken as a plain input);
// - the edge interrupt counts rises/falls at once, then posts one onChanged call to the next
//   turn of the clock; edges before that call coalesce into it (re-read the pin and counters);
// - onChanged is an assignable callback run with this === the monitor; if none is set when an
//   edge is delivered, the call throws;
// - edge Rising (1) or Falling (2) enables that edge only, any other value both; reading the
//   counter of an edge not configured throws "not configured"; "pin missing" / "edge missing".
// Host strictness: a pin the port lacks throws "can't init pin", a second monitor on one pin
// throws (nRF52 halts in APP_ERROR_CHECK), and use after close() throws (the device
// dereferences a freed record).
import { hostTime, pins } from '../../host-control.js';
import { baseMode, portAccepts } from '../../host/gpio-port.js';
import { PinMode } from '../../host/pin-bank.js';
import { toInt32 } from '../../host/xs-values.js';

type Input = 0;
type InputPullUp = 1;
type InputPullDown = 2;
type InputPullUpDown = 3;
type Output = 8;
type OutputOpenDrain = 9;
type Mode = Input | InputPullUp | InputPullDown | InputPullUpDown | Output | OutputOpenDrain;
type Rising = 1;
type Falling = 2;
type Edge = Rising | Falling;

const RISING = 1;
const FALLING = 2;

class Monitor {
  /** Called on the turn after one or more edges. */
  onChanged?: (this: Monitor) => void;
  readonly #pin: number;
  readonly #edge: number;
  #rises = 0;
  #falls = 0;
  #pending = false;
  #closed = false;

  public constructor(dictionary: { pin: number; port?: string; mode: Mode; edge: Edge }) {
    if (!('pin' in dictionary)) throw new Error('pin missing');
    if (!('edge' in dictionary)) throw new Error('edge missing');
    const pin = toInt32(dictionary.pin);
    const mode = 'mode' in dictionary ? baseMode(toInt32(dictionary.mode)) : PinMode.Input;
    if (!portAccepts(pin, PinMode.Input)) throw new Error("can't init pin");
    this.#pin = pin;
    this.#edge = toInt32(dictionary.edge);
    const pulled = mode === PinMode.InputPullUp || mode === PinMode.InputPullDown || mode === PinMode.InputPullUpDown;
    pins().configure(pin, pulled ? mode : PinMode.Input); // pulls first, then the interrupt, as the drivers do
    pins().attach(pin, (rising) => this.#interrupt(rising));
  }

  public read(): number {
    return pins().level(this.#open());
  }

  public get rises(): number {
    this.#open();
    if (!(this.#edge & RISING)) throw new Error('not configured');
    return this.#rises;
  }

  public get falls(): number {
    this.#open();
    if (!(this.#edge & FALLING)) throw new Error('not configured');
    return this.#falls;
  }

  public close(): void {
    pins().detach(this.#open());
    this.#closed = true;
  }

  public static readonly Rising: Rising = 1;
  public static readonly Falling: Falling = 2;

  #interrupt(rising: boolean): void {
    const both = this.#edge !== RISING && this.#edge !== FALLING;
    if (!both && rising !== (this.#edge === RISING)) return;
    if (rising) this.#rises++;
    else this.#falls++;
    if (this.#pending) return;
    this.#pending = true;
    hostTime().clock.setTimeout(() => this.#deliver(), 0);
  }

  #deliver(): void {
    if (this.#closed) return;
    this.#pending = false;
    if (typeof this.onChanged !== 'function') throw new TypeError('Monitor: onChanged is not a function');
    this.onChanged.call(this);
  }

  #open(): number {
    if (this.#closed) throw new Error('Monitor: used after close()');
    return this.#pin;
  }
}

export { Monitor as default };
