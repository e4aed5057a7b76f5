// Therapy pins per board (docs/therapy.md, "Pin maps"). Sense inputs take a comparator's output
// (a rising edge per depolarisation); pace outputs drive an LED, a visible stand-in for the pulse
// that a logic analyser can time; the magnet is a reed switch or a button to ground.

export interface TherapyPins {
  readonly senseA: number;
  readonly senseV: number;
  readonly paceA: number;
  readonly paceV: number;
  /** LEDs wired to the supply (nRF52 DK) light when the pin is low. */
  readonly paceActiveLow: boolean;
  /** Low while the magnet (or button) is present; internal pull-up. */
  readonly magnet: number;
  /** Low selects ERN; internal pull-up. */
  readonly batteryErn: number;
  /** Low selects ERT (wins over ERN); internal pull-up. */
  readonly batteryErt: number;
  /** Pulses from an accelerometer's motion interrupt; their rate is the activity level. */
  readonly activity: number;
}

export const PIN_MAPS: Readonly<Record<string, TherapyPins>> = Object.freeze({
  /** Espressif ESP32-DevKitC: on-board LED on GPIO 2 paces V, an LED on GPIO 4 paces A. */
  'esp32-devkitc': Object.freeze({
    senseA: 25, senseV: 26, paceA: 4, paceV: 2, paceActiveLow: false, magnet: 27, batteryErn: 32, batteryErt: 33, activity: 14,
  }),
  /** Nordic nRF52840 DK: LED1 paces V, LED2 paces A (active low), Button 1 is the magnet, Buttons 3 and 4 set ERN and ERT. */
  'nrf52840-dk': Object.freeze({
    senseA: 3, senseV: 4, paceA: 14, paceV: 13, paceActiveLow: true, magnet: 11, batteryErn: 24, batteryErt: 25, activity: 28,
  }),
});

/** The board's pins from the manifest config: `therapyPins` (a full map) or `therapyBoard` (a name above). */
export function pinsFromConfig(config: Readonly<Record<string, unknown>>): TherapyPins {
  const board = config.therapyBoard;
  if (typeof board === 'string' && Object.prototype.hasOwnProperty.call(PIN_MAPS, board)) return PIN_MAPS[board];
  const pins = config.therapyPins as Partial<TherapyPins> | undefined;
  const names: (keyof TherapyPins)[] = ['senseA', 'senseV', 'paceA', 'paceV', 'magnet', 'batteryErn', 'batteryErt', 'activity'];
  if (pins && names.every((n) => Number.isInteger(pins[n])) && typeof pins.paceActiveLow === 'boolean') return pins as TherapyPins;
  throw new Error('therapy: the manifest config names no therapyBoard or complete therapyPins');
}
