// The pace timer port under a stalled CPU, on the device adapters (DeviceIO, DevicePaceTimer over
// the mc/ffi shim's peripheral model): what the engine does with a sense that arrives during a
// stall (docs/therapy.md, "During a stall"), the runaway guards, and the backup pacer's re-arm
// when the hardware remembers a later pulse than it was told of.
// @req SAF-09 (docs/traceability.md)
import assert from 'node:assert/strict';
import { DeviceIO } from '../../modules/therapy/device-io.js';
import type { MarkerType } from '../../modules/therapy/markers.js';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import { PIN_MAPS } from '../../modules/therapy/pin-maps.js';
import { Therapy } from '../../modules/therapy/therapy.js';
import { BackupPacer } from '../../modules/therapy-control/backup-pacer.js';
import { pins, resetHost, virtualHost } from '../../host/shims/host-control.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

const MAP = PIN_MAPS['esp32-devkitc'];
const quiet = { magnet: () => {}, battery: () => {}, activity: () => {} };

/** POR therapy (VVI 65: first pace at 923 ms) on the device I/O, its V sense pin driven by a "heart" on the hardware lane. */
function device() {
  const clock = virtualHost('esp32');
  const markers: string[] = [];
  let therapy: Therapy | undefined;
  const io = new DeviceIO(MAP, { ...quiet, sense: (c) => therapy?.sense(c) }, clock);
  therapy = new Therapy(clock, { paceTimer: io.paceTimer, marker: (t, type: MarkerType) => (type === 'VP' || type === 'VS' || type === 'VR') && markers.push(`${type}@${t}`) });
  const beat = (at: number) => {
    clock.setHardwareTimeout(() => pins().drive(MAP.senseV, 1), at);
    clock.setHardwareTimeout(() => pins().drive(MAP.senseV, 0), at + 5);
  };
  const stall = (from: number, ms: number) => clock.setTimeout(() => clock.skip(ms), from);
  const risingOf = (pin: number) => pins().edgesOf(pin).filter((e) => e.level === 1 && e.at > 0).map((e) => e.at);
  const rising = () => risingOf(MAP.paceV);
  return { clock, markers, beat, stall, rising, risingOf, io, therapy };
}

describe('pace timer through a stalled CPU (device adapters over the shims)', () => {
  afterEach(() => resetHost());

  it('without a stall, a sense before the pace inhibits it', () => {
    const d = device();
    d.beat(900);
    d.clock.advance(2000);
    assert.deepEqual(d.rising(), [1823]);
    assert.deepEqual(d.markers, ['VS@900', 'VP@1823']);
    d.io.close();
  });

  it('a sense inside a stall cannot inhibit the pace armed for it: the pace goes out on time, the sense is refractory after it', () => {
    const d = device();
    d.stall(880, 85); // CPU halted 880...965 ms
    d.beat(900);
    d.clock.advance(2000);
    assert.deepEqual(d.rising(), [923, 1846], 'the armed pace at 923 ms, the next one LRI later');
    assert.deepEqual(d.markers, ['VP@923', 'VR@965', 'VP@1846'], 'the pace counts first, then the sense the CPU saw at 965 ms, inside the VRP');
    d.io.close();
  });

  it('a stall longer than the interval keeps the armed pace and resumes from its time', () => {
    const d = device();
    d.stall(800, 400); // 800...1200 ms, a worst-case ESP32 sector erase
    d.clock.advance(3000);
    assert.deepEqual(d.rising(), [923, 1846, 2769]);
    d.io.close();
  });

  it('DDD: a stall longer than the AV delay keeps both paces of the cycle, the V pace armed with the A pace', () => {
    const d = device();
    d.therapy.program('permanent', { ...NOMINAL, mode: 'DDD', lrl: 60, avDelay: 150 });
    d.clock.advance(1000); // the POR pace at 923 ms is the new set's boundary: A at 923 + 850, V 150 ms later
    d.stall(1700, 400); // 1700...2100 ms, a worst-case ESP32 sector erase over both
    d.clock.advance(3000);
    assert.deepEqual(d.risingOf(MAP.paceA).slice(0, 3), [1773, 2773, 3773]);
    assert.deepEqual(d.rising().slice(0, 4), [923, 1923, 2923, 3923]);
    d.io.close();
  });

  it('the software port keeps the runaway guard, and reports late when its clock runs late', () => {
    const clock = new VirtualClock(0);
    const emitted: number[] = [];
    const reported: string[] = [];
    const timer = new ClockPaceTimer(clock, () => emitted.push(clock.now()));
    timer.listen((chamber, t) => reported.push(`${chamber}@${t}`));
    assert.equal(timer.arm('V', 100, 5000, 400), true);
    clock.advance(150);
    assert.equal(timer.arm('V', 300, 5000, 400), false, '200 ms after the last pulse');
    assert.equal(timer.arm('V', 400, 5000, 400), true);
    clock.setTimeout(() => clock.skip(50), 380 - clock.now()); // CPU halted 380...430 ms
    clock.advance(500);
    assert.deepEqual(emitted, [100, 430], 'a JavaScript timer is as late as the stall');
    assert.deepEqual(reported, ['V@100', 'V@430']);
  });

  it('the backup pacer re-arms 293 ms later when the hardware refuses its first pace', () => {
    const clock = virtualHost('esp32');
    const io = new DeviceIO(MAP, { ...quiet, sense: () => {} }, clock);
    // The therapy machine's last pulse at 1000 ms, never reported before it died.
    io.paceTimer.arm('V', 1000, 5000, 500);
    clock.advance(1100);
    const markers: string[] = [];
    const backup = new BackupPacer(clock, { paceTimer: io.paceTimer, marker: (t, type) => markers.push(`${type}@${t}`) });
    backup.start(200); // the last V event it was told of: its first pace is due at 1123 ms, 123 ms after the hardware's last
    clock.advance(2000);
    const rising = pins().edgesOf(MAP.paceV).filter((e) => e.level === 1 && e.at > 0).map((e) => e.at);
    assert.deepEqual(rising, [1000, 1123 + 293, 1123 + 293 + 923], 'refused at 1123 ms, paced 293 ms later, then every 923 ms');
    assert.deepEqual(markers, ['VP@1416', 'VP@2339']);
    backup.stop();
    io.close();
  });
});
