// The CLI's exit codes for a programmer command's errors (tools/cli/sim-client/programmer.ts
// `failure`): a refused or malformed radio.irk.get during `pair --bonds` is a refusal with one
// clear line, not an uncaught exception.
import assert from 'node:assert/strict';
import { Status } from '../../modules/channel/status.js';
import { IrkError } from '../../programmer/device-bonds.js';
import { Exit, failure } from '../../tools/cli/sim-client/programmer.js';

describe('cli: exit codes of programmer errors', () => {
  it('a refused radio.irk.get exits REFUSED with its status', () => {
    assert.deepEqual(failure(new IrkError(Status.DENIED)), { code: Exit.REFUSED, message: `radio.irk.get: refused (status ${Status.DENIED})` });
  });

  it('a malformed radio.irk.get reply exits REFUSED', () => {
    assert.deepEqual(failure(new IrkError()), { code: Exit.REFUSED, message: 'radio.irk.get: malformed reply' });
  });

  it('an error that is not a programmer error is rethrown', () => {
    assert.throws(() => failure(new TypeError('bug')), TypeError);
  });
});
