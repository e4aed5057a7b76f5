// The device I/O adapter over the pins shims: sense interrupts, pace pulses seen as a logic
// analyser would, the magnet, battery and activity inputs, and the adapter's own runaway check.
import assert from 'node:assert/strict';
import { DeviceIO, PULSE_MS } from '../../modules/therapy/device-io.js';
import type { DeviceInputs } from '../../modules/therapy/device-io.js';
import type { Chamber } from '../../modules/therapy/markers.js';
import { PIN_MAPS, pinsFromConfig } from '../../modules/therapy/pin-maps.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { pins, resetHost, virtualHost } from '../../host/shims/host-control.js';

function recorder() {
  const log: string[] = [];
  const inputs: DeviceInputs = {
    sense: (c: Chamber) => log.push(`sense ${c}`),
    magnet: (p) => log.push(`magnet ${p}`),
    battery: (l) => log.push(`battery ${l}`),
    activity: (l) => log.push(`activity ${l}`),
  };
  return { log, inputs };
}

describe('therapy device I/O (pins shims)', () => {
  afterEach(() => resetHost());

  it('reads magnet and battery at start, and senses rising edges by interrupt', () => {
    const clock = virtualHost('esp32');
    const map = PIN_MAPS['esp32-devkitc'];
    const { log, inputs } = recorder();
    const io = new DeviceIO(map, inputs, () => clock.now());
    assert.deepEqual(log, ['magnet false', 'battery BOL']);
    pins().drive(map.senseV, 1);
    clock.advance(1);
    pins().drive(map.senseV, 0);
    pins().drive(map.senseA, 1);
    clock.advance(1);
    pins().drive(map.magnet, 0);
    pins().drive(map.batteryErt, 0);
    clock.advance(1);
    assert.deepEqual(log.slice(2), ['sense V', 'sense A', 'magnet true', 'battery ERT']);
    io.close();
  });

  it('paces a pulse of PULSE_MS and refuses a second pulse faster than 205 ppm', () => {
    const clock = virtualHost('esp32');
    const map = PIN_MAPS['esp32-devkitc'];
    const io = new DeviceIO(map, recorder().inputs, () => clock.now());
    clock.advance(1000);
    io.pace('V');
    clock.advance(100);
    io.pace('V');
    clock.advance(300);
    io.pace('V');
    clock.advance(50);
    const edges = pins().edgesOf(map.paceV).map((e) => [e.at, e.level]);
    assert.deepEqual(edges, [[1000, 1], [1000 + PULSE_MS, 0], [1400, 1], [1400 + PULSE_MS, 0]]);
    io.close();
  });

  it('drives active-low LEDs on the nRF52 DK and counts activity pulses into a level', () => {
    const clock = virtualHost('nrf52');
    const map = PIN_MAPS['nrf52840-dk'];
    const { log, inputs } = recorder();
    const io = new DeviceIO(map, inputs, () => clock.now());
    assert.equal(pins().level(map.paceA), 1);
    io.pace('A');
    assert.equal(pins().level(map.paceA), 0);
    for (let i = 0; i < 10; i++) {
      pins().drive(map.activity, 1);
      clock.advance(50);
      pins().drive(map.activity, 0);
      clock.advance(50);
    }
    clock.advance(2000);
    assert.ok(log.includes('activity 5'), log.join(', '));
    io.close();
  });

  it('takes its pins from the manifest config, and refuses an incomplete map', () => {
    assert.equal(pinsFromConfig({ therapyBoard: 'nrf52840-dk' }), PIN_MAPS['nrf52840-dk']);
    assert.deepEqual(pinsFromConfig({ therapyPins: { ...PIN_MAPS['esp32-devkitc'] } }), PIN_MAPS['esp32-devkitc']);
    assert.throws(() => pinsFromConfig({ therapyPins: { senseA: 1 } }), /therapyPins/);
    assert.throws(() => pinsFromConfig({ therapyBoard: 'toString' }), /therapyBoard/);
  });

  it('bring-up in simulation: pace pin rising edges coincide with VP markers to the ms', () => {
    const clock = virtualHost('esp32');
    const map = PIN_MAPS['esp32-devkitc'];
    const vp: number[] = [];
    let therapy: Therapy | undefined;
    const io = new DeviceIO(map, { sense: (c) => therapy?.sense(c), magnet: () => {}, battery: () => {}, activity: () => {} }, () => clock.now());
    therapy = new Therapy(clock, { pace: (c) => io.pace(c), marker: (t, type) => type === 'VP' && vp.push(t) });
    therapy.program('permanent', { ...NOMINAL, mode: 'VVI', lrl: 70 });
    // A scripted heart on the sense pin: one beat at 3000 ms inhibits the pace due then.
    clock.setTimeout(() => pins().drive(map.senseV, 1), 3000);
    clock.setTimeout(() => pins().drive(map.senseV, 0), 3010);
    clock.advance(10_000);
    const rising = pins().edgesOf(map.paceV).filter((e) => e.level === 1).map((e) => e.at);
    assert.deepEqual(rising, vp);
    // POR pace at 923 ms, VVI 70 from there (857 ms), the sense at 3000 ms restarting the interval.
    assert.deepEqual(rising.slice(0, 5), [923, 1780, 2637, 3857, 4714]);
    io.close();
  });
});
