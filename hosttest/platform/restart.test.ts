import * as assert from 'node:assert/strict';
import { restart } from '../../modules/platform/restart.js';
import { restartCount, SystemRestart, virtualHost } from '../../host/shims/host-control.js';

describe('restart() over Moddable "system"', () => {
  it('on esp32 restarts and does not return', () => {
    virtualHost('esp32');
    assert.throws(() => restart(), SystemRestart);
    assert.equal(restartCount(), 1);
  });

  it('on nrf52, where System.restart() is an empty stub, throws instead of carrying on', () => {
    virtualHost('nrf52');
    assert.throws(
      () => restart(),
      (e: Error) => !(e instanceof SystemRestart) && /cannot restart/.test(e.message),
    );
    assert.equal(restartCount(), 0);
  });
});
