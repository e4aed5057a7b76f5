// The dispatcher never throws, even when the policy's `completed` (the audit log on the device)
// throws: the programmer still gets the command's outcome, sync or async, and the failure is
// reported instead of escaping as an exception or an unhandled rejection.
import assert from 'node:assert/strict';
import { decodeCbor } from '../../modules/core/cbor.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { CommandDispatcher, defineCommand, encodeRequest, fail, ok } from '../../modules/channel/commands.js';
import type { SessionView } from '../../modules/channel/commands.js';
import { NO_ARGS } from '../../modules/channel/schema.js';
import { Status } from '../../modules/channel/status.js';

const session: SessionView = {
  id: 1,
  principal: { role: 'clinician', keyId: new Uint8Array([1]), staticKey: new Uint8Array(32) },
  handshakeHash: new Uint8Array(32),
  pattern: 'IK',
  physicalPresence: () => false,
};

describe('channel: dispatcher when the audit of a finished command throws', () => {
  const errors: string[] = [];
  const dispatcher = new CommandDispatcher({
    commands: [
      defineCommand({ name: 'test.now', maxArgBytes: 1, args: NO_ARGS, handler: () => ok(7) }),
      defineCommand({ name: 'test.later', maxArgBytes: 1, args: NO_ARGS, handler: async () => fail(Status.BUSY) }),
    ],
    policy: {
      authorize: () => Status.OK,
      completed: () => {
        throw new Error('flash write failed');
      },
    },
    onHandlerError: (name, error) => void errors.push(`${name}: ${(error as Error).message}`),
  });

  it('answers a synchronous command with its own outcome and reports the audit failure', () => {
    errors.length = 0;
    const reply = decodeCbor(dispatcher.dispatch(encodeRequest(1, 'test.now', new Map()), session) as Uint8Array) as CborValue[];
    assert.deepEqual(reply, [1, Status.OK, 7]);
    assert.deepEqual(errors, ['test.now (completed): flash write failed']);
  });

  it('resolves (never rejects) for an asynchronous command', async () => {
    errors.length = 0;
    const pending = dispatcher.dispatch(encodeRequest(2, 'test.later', new Map()), session);
    assert.ok(pending instanceof Promise);
    const reply = decodeCbor(await pending) as CborValue[];
    assert.deepEqual(reply.slice(0, 2), [2, Status.BUSY]);
    assert.deepEqual(errors, ['test.later (completed): flash write failed']);
  });
});
