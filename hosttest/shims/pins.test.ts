import * as assert from 'node:assert/strict';
import Analog from 'pins/analog';
import Digital from 'pins/digital';
import Monitor from 'pins/digital/monitor';
import type { VirtualClock } from '../../host/sim/virtual-clock.js';
import { pins, setAnalog, virtualHost, type HostPlatform } from '../../host/shims/host-control.js';

function message(text: string) {
  return (e: Error) => e.constructor === Error && e.message === text;
}

describe('pins/digital shim', () => {
  let clock: VirtualClock;
  beforeEach(() => (clock = virtualHost()));

  it('drives an output line and records its edges on the clock', () => {
    const pace = new Digital({ pin: 5, mode: Digital.Output });
    clock.advance(100);
    pace.write(1);
    clock.advance(1);
    pace.write(0);
    assert.equal(pins().level(5), 0);
    assert.deepEqual(pins().edgesOf(5), [
      { at: 100, pin: 5, level: 1 },
      { at: 101, pin: 5, level: 0 },
    ]);
    pace.write(0);
    assert.equal(pins().edgesOf(5).length, 2, 'no edge without a level change');
  });

  it('reads inputs as driven, with pulls deciding an undriven line', () => {
    const sense = new Digital(6, Digital.Input);
    assert.equal(sense.read(), 0);
    pins().drive(6, 1);
    assert.equal(sense.read(), 1);
    assert.equal(new Digital('', 7, Digital.InputPullUp).read(), 1);
    assert.equal(new Digital(8, Digital.InputPullDown).read(), 0);
  });

  it('writing an input pin does not move the line; driving an output from outside is refused', () => {
    const input = new Digital(6, Digital.Input);
    input.write(1);
    assert.equal(pins().level(6), 0);
    new Digital(5, Digital.Output);
    assert.throws(() => pins().drive(5, 1), /push-pull output/);
  });

  it('throws the SDK errors for bad dictionaries, modes and pins', () => {
    assert.throws(() => new Digital({ mode: 0 } as unknown as { pin: number; mode: number }), message('pin missing'));
    assert.throws(() => new Digital({ pin: 1 } as unknown as { pin: number; mode: number }), message('mode missing'));
    assert.throws(() => new Digital(5, 4), message("can't init pin"));
    assert.throws(() => new Digital(34, Digital.Output), message("can't init pin"), 'ESP32 GPIO34 is input-only');
    assert.throws(() => new Digital(40, Digital.Input), message("can't init pin"));
    assert.throws(() => new Digital('B', 5, Digital.Input), message("can't init pin"), 'esp32 has no ports');
    const pin = new Digital(5, Digital.Input);
    assert.throws(() => pin.mode(7 as 0), message('unsupported mode'));
    pin.close();
    assert.throws(() => pin.read(), SyntaxError);
    assert.throws(() => pin.write(1), SyntaxError);
    assert.throws(() => pin.close(), SyntaxError);
  });

  it('static read configures an input; static write an output', () => {
    pins().drive(9, 1);
    assert.equal(Digital.read(9), 1);
    Digital.write(10, 1);
    assert.equal(pins().mode(10), Digital.Output);
    assert.equal(pins().level(10), 1);
  });

  const readBack: Record<HostPlatform, number> = { esp32: 0, nrf52: 1 };
  for (const platform of ['esp32', 'nrf52'] as HostPlatform[]) {
    it(`reading an output pin on ${platform} gives ${readBack[platform]} after writing 1`, () => {
      virtualHost(platform);
      const out = new Digital(5, Digital.Output);
      out.write(1);
      assert.equal(out.read(), readBack[platform]);
    });
  }

  it('nrf52 has no InputPullUpDown and accepts P1.15 (pin 47)', () => {
    virtualHost('nrf52');
    assert.throws(() => new Digital(3, Digital.InputPullUpDown), message("can't init pin"));
    assert.equal(new Digital(47, Digital.Output).read(), 0);
    assert.throws(() => new Digital(48, Digital.Output), message("can't init pin"));
  });
});

describe('pins/digital/monitor shim', () => {
  let clock: VirtualClock;
  beforeEach(() => (clock = virtualHost()));

  it('counts edges at once and calls onChanged on the next turn, coalescing edges', () => {
    const monitor = new Monitor({ pin: 4, mode: Digital.Input, edge: (Monitor.Rising | Monitor.Falling) as 1 });
    const calls: Array<{ self: unknown; rises: number; falls: number }> = [];
    monitor.onChanged = function () {
      calls.push({ self: this, rises: this.rises, falls: this.falls });
    };
    pins().drive(4, 1);
    pins().drive(4, 0);
    assert.equal(monitor.rises, 1, 'counted in the interrupt');
    assert.deepEqual(calls, [], 'delivered asynchronously');
    clock.advance(0);
    assert.deepEqual(calls, [{ self: monitor, rises: 1, falls: 1 }]);
    pins().drive(4, 1);
    clock.advance(0);
    assert.equal(calls.length, 2);
    assert.equal(monitor.read(), 1);
  });

  it('a rising-only monitor ignores falls and refuses to report them', () => {
    const monitor = new Monitor({ pin: 4, mode: Digital.Input, edge: Monitor.Rising });
    let calls = 0;
    monitor.onChanged = () => calls++;
    pins().drive(4, 1);
    clock.advance(0);
    pins().drive(4, 0);
    clock.advance(0);
    assert.equal(calls, 1);
    assert.equal(monitor.rises, 1);
    assert.throws(() => monitor.falls, message('not configured'));
  });

  it('a pull-up input monitor starts high; a falling edge is the signal', () => {
    const monitor = new Monitor({ pin: 4, mode: Digital.InputPullUp, edge: Monitor.Falling });
    let calls = 0;
    monitor.onChanged = () => calls++;
    assert.equal(monitor.read(), 1);
    pins().drive(4, 0);
    clock.advance(0);
    assert.equal(calls, 1);
    assert.equal(monitor.falls, 1);
  });

  it('close before delivery cancels it; use after close throws; one monitor per pin', () => {
    const monitor = new Monitor({ pin: 4, mode: Digital.Input, edge: Monitor.Rising });
    assert.throws(() => new Monitor({ pin: 4, mode: Digital.Input, edge: Monitor.Rising }), /already has an edge monitor/);
    let calls = 0;
    monitor.onChanged = () => calls++;
    pins().drive(4, 1);
    monitor.close();
    clock.advance(0);
    assert.equal(calls, 0);
    assert.throws(() => monitor.read(), /after close/);
    new Monitor({ pin: 4, mode: Digital.Input, edge: Monitor.Rising }); // the pin is free again
  });

  it('an edge with no onChanged set throws when delivered; missing fields throw', () => {
    new Monitor({ pin: 4, mode: Digital.Input, edge: Monitor.Rising });
    pins().drive(4, 1);
    assert.throws(() => clock.advance(0), TypeError);
    assert.throws(() => new Monitor({ pin: 4, mode: 0 } as unknown as { pin: number; mode: 0; edge: 1 }), message('edge missing'));
    assert.throws(() => new Monitor({ edge: 1, mode: 0 } as unknown as { pin: number; mode: 0; edge: 1 }), message('pin missing'));
  });
});

describe('pins/analog shim', () => {
  beforeEach(() => virtualHost());

  it('reads the host-set value of channels 0...7', () => {
    setAnalog(3, 512);
    assert.equal(Analog.read(3), 512);
    assert.equal(Analog.read(0), 0);
    assert.throws(() => Analog.read(8), RangeError);
    assert.throws(() => Analog.read(-1), RangeError);
    assert.throws(() => setAnalog(1, 1024), RangeError);
  });
});
