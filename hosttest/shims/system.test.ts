import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import config from 'mc/config';
import getResetReason from 'resetReason';
import System from 'system';
import TextDecoder from 'text/decoder';
import TextEncoder from 'text/encoder';
import { onRestart, restartCount, setResetReason, setTraceSink, SystemRestart, usePlatform, virtualHost } from '../../host/shims/host-control.js';
import '../../host/shims/xs-globals.js';

describe('system shim', () => {
  beforeEach(() => virtualHost());

  it('installs the System global', () => {
    assert.equal(globalThis.System, System);
  });

  it('restart() on esp32 never returns: it unwinds with SystemRestart and tells the host', () => {
    let heard = 0;
    onRestart(() => heard++);
    let after = false;
    assert.throws(() => {
      System.restart();
      after = true;
    }, SystemRestart);
    assert.equal(after, false);
    assert.equal(restartCount(), 1);
    assert.equal(heard, 1);
  });

  it('restart() on nrf52 returns without restarting, as the SDK stub does', () => {
    usePlatform('nrf52');
    System.restart();
    assert.equal(restartCount(), 0);
  });

  it('setTimeout/setInterval wrap Timer', () => {
    const clock = virtualHost();
    const at: number[] = [];
    System.setTimeout(() => at.push(clock.now()), 5);
    const interval = System.setInterval(() => at.push(clock.now()), 3);
    clock.advance(7);
    System.clearInterval(interval);
    clock.advance(10);
    assert.deepEqual(at, [3, 5, 6]);
  });
});

describe('resetReason shim (esp32)', () => {
  beforeEach(() => virtualHost());

  it('reports the host-set esp_reset_reason_t with its name', () => {
    assert.deepEqual(getResetReason(), { reason: 1, string: 'Power-On' });
    setResetReason(6);
    assert.deepEqual(getResetReason(), { reason: 6, string: 'Task WDT' });
    setResetReason(42);
    assert.deepEqual(getResetReason(), { reason: 42, string: 'Invalid' });
    usePlatform('nrf52');
    assert.throws(() => getResetReason(), /not supported on this platform/);
  });
});

describe('text/encoder and text/decoder shims', () => {
  it('round-trip UTF-8 and accept only the label "utf-8"', () => {
    const bytes = new TextEncoder().encode('pacé');
    assert.deepEqual(bytes, Uint8Array.of(0x70, 0x61, 0x63, 0xc3, 0xa9));
    assert.equal(new TextDecoder().decode(bytes), 'pacé');
    assert.equal(new TextDecoder('utf-8').decode(bytes), 'pacé');
    assert.throws(() => new TextDecoder('UTF-8' as 'utf-8'), RangeError);
    assert.throws(() => new TextDecoder('utf8' as 'utf-8'), RangeError);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.of(0xff)), TypeError);
  });
});

describe('mc/config shim', () => {
  it('is the manifest config merged with the esp32 platform config, deep-frozen', () => {
    type Manifest = { config?: Record<string, unknown>; platforms?: Record<string, { config?: Record<string, unknown> }> };
    const path = new URL('../../manifest.json', import.meta.url);
    const manifest: Manifest = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
    const expected = { ...manifest.config, ...manifest.platforms?.esp32?.config };
    assert.deepEqual(Object.keys(config).sort(), Object.keys(expected).sort());
    assert.ok(Object.isFrozen(config));
    for (const value of Object.values(config)) if (typeof value === 'object' && value !== null) assert.ok(Object.isFrozen(value));
  });
});

describe('trace global', () => {
  it('writes the values without a newline to the trace sink', () => {
    let out = '';
    const previous = setTraceSink((text) => (out += text));
    try {
      trace('rate ', 60, ' ok ', true, '\n');
    } finally {
      setTraceSink(previous);
    }
    assert.equal(out, 'rate 60 ok true\n');
  });
});
