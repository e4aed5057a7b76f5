import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { CommandDispatcher, defineCommand, encodeRequest, fail, ok } from '../../modules/channel/commands.js';
import type { CommandPolicy, CommandSpec, SessionView } from '../../modules/channel/commands.js';
import { NO_ARGS, s, validateArgs } from '../../modules/channel/schema.js';
import { Status } from '../../modules/channel/status.js';

const session: SessionView = {
  id: 7,
  principal: { role: 'clinician', keyId: new Uint8Array([1]), staticKey: new Uint8Array(32) },
  handshakeHash: new Uint8Array(32),
  pattern: 'IK',
  physicalPresence: () => false,
};

function setup(policyStatus: number = Status.OK) {
  const calls: unknown[] = [];
  const completed: [string, number][] = [];
  const setRate = defineCommand({
    name: 'therapy.set-rate',
    maxArgBytes: 48,
    args: s.struct({ rate: s.int(30, 180), mode: s.enumOf(['VVI', 'AAI']), note: s.optional(s.text(8)) }),
    handler(args) {
      calls.push(args);
      return ok(args.rate);
    },
  });
  const boom = defineCommand({ name: 'test.boom', maxArgBytes: 1, args: NO_ARGS, handler() { throw new Error('x'); } });
  const later = defineCommand({ name: 'test.later', maxArgBytes: 1, args: NO_ARGS, handler: async () => fail(Status.BUSY) });
  const policy: CommandPolicy = {
    authorize: (spec: CommandSpec) => (spec.name === 'therapy.set-rate' ? policyStatus : Status.OK),
    completed: (spec, _s, _id, status) => void completed.push([spec.name, status]),
  };
  const errors: string[] = [];
  const d = new CommandDispatcher({ commands: [setRate, boom, later], policy, onHandlerError: (name) => void errors.push(name) });
  const call = (req: Uint8Array) => decodeCbor(d.dispatch(req, session) as Uint8Array) as CborValue[];
  return { d, calls, completed, errors, call };
}

const args = (entries: [string, CborValue][]) => new Map(entries);

describe('command dispatcher', () => {
  it('runs a valid command and answers [id, OK, result]', () => {
    const { call, calls, completed } = setup();
    assert.deepEqual(call(encodeRequest(9, 'therapy.set-rate', args([['rate', 60], ['mode', 'VVI']]))), [9, Status.OK, 60]);
    assert.deepEqual(calls, [{ rate: 60, mode: 'VVI' }]);
    assert.deepEqual(completed, [['therapy.set-rate', Status.OK]]);
  });

  it('answers each defect with its status and never runs the handler', () => {
    const { call, calls } = setup();
    const cases: [Uint8Array, CborValue[]][] = [
      [new Uint8Array([0xff]), [0, Status.BAD_REQUEST, null]],
      [encodeCbor([1, 'therapy.set-rate']), [0, Status.BAD_REQUEST, null]],
      [encodeCbor([1, 'therapy.set-rate', new Map()]), [0, Status.BAD_REQUEST, null]],
      [encodeCbor([-1, 'therapy.set-rate', new Uint8Array(0)]), [0, Status.BAD_REQUEST, null]],
      [encodeRequest(2, 'therapy.nope', args([])), [2, Status.UNKNOWN_COMMAND, null]],
      [encodeRequest(3, 'therapy.set-rate', args([['rate', 29], ['mode', 'VVI']])), [3, Status.INVALID_ARGS, null]],
      [encodeRequest(4, 'therapy.set-rate', args([['rate', 60], ['mode', 'DDD']])), [4, Status.INVALID_ARGS, null]],
      [encodeRequest(5, 'therapy.set-rate', args([['rate', 60]])), [5, Status.INVALID_ARGS, null]],
      [encodeRequest(6, 'therapy.set-rate', args([['rate', 60], ['mode', 'VVI'], ['x', 1]])), [6, Status.INVALID_ARGS, null]],
      [encodeRequest(7, 'therapy.set-rate', args([['rate', 60], ['mode', 'VVI'], ['note', '123456789']])), [7, Status.INVALID_ARGS, null]],
      [encodeRequest(8, 'therapy.set-rate', args([['rate', 60], ['mode', 'VVI'], ['note', 'x'.repeat(40)]])), [8, Status.ARGS_TOO_LARGE, null]],
      [encodeCbor([10, 'therapy.set-rate', new Uint8Array([0xa1, 0x61])]), [10, Status.INVALID_ARGS, null]],
      // The name is 1..64 UTF-8 bytes: 64 ASCII bytes pass the envelope, 22 three-byte characters (66 bytes) do not.
      [encodeRequest(11, 'x'.repeat(64), args([])), [11, Status.UNKNOWN_COMMAND, null]],
      [encodeRequest(12, 'x'.repeat(65), args([])), [0, Status.BAD_REQUEST, null]],
      [encodeRequest(13, '\u20ac'.repeat(22), args([])), [0, Status.BAD_REQUEST, null]],
    ];
    for (const [req, expected] of cases) assert.deepEqual(call(req), expected);
    assert.equal(calls.length, 0);
  });

  it('asks the policy before decoding arguments and answers its status', () => {
    const { call, calls, completed } = setup(Status.PRESENCE_REQUIRED);
    assert.deepEqual(call(encodeRequest(1, 'therapy.set-rate', args([['rate', 60], ['mode', 'VVI']]))), [1, Status.PRESENCE_REQUIRED, null]);
    // Garbage arguments get the policy's answer too: unauthorized peers learn nothing about schemas.
    assert.deepEqual(call(encodeCbor([2, 'therapy.set-rate', new Uint8Array([0xff])])), [2, Status.PRESENCE_REQUIRED, null]);
    assert.equal(calls.length, 0);
    assert.deepEqual(completed, [['therapy.set-rate', Status.PRESENCE_REQUIRED], ['therapy.set-rate', Status.PRESENCE_REQUIRED]]);
  });

  it('turns handler exceptions and rejected promises into INTERNAL_ERROR, and awaits async handlers', async () => {
    const { d, call, errors } = setup();
    assert.deepEqual(call(encodeRequest(1, 'test.boom', args([]))), [1, Status.INTERNAL_ERROR, null]);
    assert.deepEqual(errors, ['test.boom']);
    const pending = d.dispatch(encodeRequest(2, 'test.later', args([])), session);
    assert.ok(pending instanceof Promise);
    assert.deepEqual(decodeCbor(await pending), [2, Status.BUSY, null]);
  });

  it('rejects duplicate command names at wiring time', () => {
    const c = defineCommand({ name: 'a.b', maxArgBytes: 1, args: NO_ARGS, handler: () => ok() });
    assert.throws(() => new CommandDispatcher({ commands: [c, c], policy: { authorize: () => Status.OK, completed: () => {} } }), /duplicate/);
  });

  it('never throws on arbitrary request bytes', () => {
    const { d } = setup();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const reply = decodeCbor(d.dispatch(bytes, session) as Uint8Array) as CborValue[];
      assert.equal(reply.length, 3);
    }), { numRuns: 2000 });
  });
});

describe('argument schemas', () => {
  it('validates nested arrays and structs and reports the failing path', () => {
    const schema = s.struct({ list: s.array(s.struct({ id: s.uint8(), blob: s.bytes(4, 1) }), 2), on: s.bool() });
    const good = args([['list', [args([['id', 1], ['blob', new Uint8Array([1])]])]], ['on', true]]);
    assert.deepEqual(validateArgs(schema, good), { ok: true, value: { list: [{ id: 1, blob: new Uint8Array([1]) }], on: true } });
    const bad = args([['list', [args([['id', 1], ['blob', new Uint8Array(0)]])]], ['on', true]]);
    const result = validateArgs(schema, bad);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.path, '$.list[0].blob');
    assert.equal(validateArgs(s.struct({ t: s.text(3) }), args([['t', '\u00fc\u00fc']])).ok, false, 'text limits count UTF-8 bytes');
    assert.equal(validateArgs(s.int(0, 10), 10n as unknown as CborValue).ok, false, 'bigints are never in a safe range');
  });
});
