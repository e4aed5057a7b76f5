import * as assert from 'node:assert/strict';
import { restart } from '../../modules/platform/restart.js';
import { restartCount, SystemRestart, virtualHost } from '../../host/shims/host-control.js';

describe('restart() over the FFI restart (modules/platform/native/restart.c)', () => {
  it('on esp32 restarts and does not return', () => {
    virtualHost('esp32');
    assert.throws(() => restart(), SystemRestart);
    assert.equal(restartCount(), 1);
  });

  it('on nrf52 restarts too (NVIC_SystemReset; the SDK\'s System.restart() did nothing there)', () => {
    virtualHost('nrf52');
    assert.throws(() => restart(), SystemRestart);
    assert.equal(restartCount(), 1);
  });
});
