// Host shim of Moddable "pins/analog" (typings/pins/analog.d.ts): the static read both ports
// offer (esp32: ADC1 channel; nrf52: SAADC channel), channels 0...7 else RangeError as in
// modules/pins/analog/{esp32,nrf52}/analog.c; values come from host-control setAnalog().
import { analogValue } from '../host-control.js';
import { toInt32 } from '../host/xs-values.js';

const CHANNELS = 8;

class Analog {
  static read(pin: number): number {
    const channel = toInt32(pin);
    if (channel < 0 || channel >= CHANNELS) throw new RangeError('invalid analog channel number');
    return analogValue(channel);
  }
}

export { Analog as default };
