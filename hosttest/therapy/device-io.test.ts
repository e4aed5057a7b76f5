// The device I/O adapter over the pins shims: sense interrupts, pace pulses from the pace timer
// peripheral (through the mc/ffi shim) seen as a logic analyser would, the magnet, battery and
// activity inputs, and the native runaway guard.
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
    const io = new DeviceIO(map, inputs, clock);
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

  it('paces a pulse of PULSE_MS at the armed time, reports it, and refuses one faster than 205 ppm', () => {
    const clock = virtualHost('esp32');
    const map = PIN_MAPS['esp32-devkitc'];
    const io = new DeviceIO(map, recorder().inputs, clock);
    const reports: string[] = [];
    io.paceTimer.listen((chamber, t) => reports.push(`${chamber}@${t}`));
    assert.equal(io.paceTimer.arm('V', 1000, 3500, 400), true);
    clock.advance(1100);
    assert.equal(io.paceTimer.arm('V', 1200, 3500, 400), false, '200 ms after the last pulse');
    assert.equal(io.paceTimer.arm('V', 1400, 3500, 400), true);
    assert.equal(io.paceTimer.arm('A', 1300, 3500, 400), true);
    assert.equal(io.paceTimer.cancel('A'), true, 'disarmed before its pulse');
    clock.advance(350);
    assert.equal(io.paceTimer.cancel('V'), false, 'nothing pending: it went out');
    const edges = pins().edgesOf(map.paceV).map((e) => [e.at, e.level]);
    assert.deepEqual(edges.filter(([at]) => at > 0), [[1000, 1], [1000 + PULSE_MS, 0], [1400, 1], [1400 + PULSE_MS, 0]]);
    assert.deepEqual(pins().edgesOf(map.paceA).filter((e) => e.level === 1 && e.at > 0), []);
    assert.deepEqual(reports, ['V@1000', 'V@1400']);
    io.close();
  });

  it('keeps the armed time through a CPU stall: the pin on time, the report after the stall with that time', () => {
    const clock = virtualHost('nrf52');
    const map = PIN_MAPS['nrf52840-dk'];
    const io = new DeviceIO(map, recorder().inputs, clock);
    const reports: string[] = [];
    io.paceTimer.listen((chamber, t) => reports.push(`${chamber}@${t}@${clock.now()}`));
    io.paceTimer.arm('V', 500, 3500, 400);
    clock.setTimeout(() => clock.skip(85), 460); // a page erase from 460 to 545 ms
    clock.advance(600);
    const falling = pins().edgesOf(map.paceV).filter((e) => e.level === 0 && e.at > 0).map((e) => e.at);
    assert.deepEqual(falling, [500], 'the active-low pin went on at 500 ms, inside the stall');
    assert.deepEqual(reports, ['V@500@545'], 'JavaScript heard of it when the stall ended, with its time');
    io.close();
  });

  it('drives active-low LEDs on the nRF52 DK and counts activity pulses into a level', () => {
    const clock = virtualHost('nrf52');
    const map = PIN_MAPS['nrf52840-dk'];
    const { log, inputs } = recorder();
    const io = new DeviceIO(map, inputs, clock);
    assert.equal(pins().level(map.paceA), 1);
    io.paceTimer.arm('A', clock.now(), 3500, 400);
    clock.advance(0);
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
    const io = new DeviceIO(map, { sense: (c) => therapy?.sense(c), magnet: () => {}, battery: () => {}, activity: () => {} }, clock);
    therapy = new Therapy(clock, { paceTimer: io.paceTimer, marker: (t, type) => type === 'VP' && vp.push(t) });
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
