// The bridge's frame parsers (host/bridge/protocol.ts): every frame is either a well-typed
// request or a FrameError that closes the socket with 1003 and a reason; nothing else escapes.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { batteryStatusOf, Close, FrameError, fullUuid, parseControlRequest, parseGattRequest } from '../../host/bridge/protocol.js';

const SERVICE = '7e5a0001-4c1b-4e8b-9d3a-2f6c1b0e9a51';
const SCENARIOS = ['normal-sinus', 'sinus-bradycardia'];

function outcome(parse: () => unknown): 'ok' | 'refused' {
  try {
    parse();
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof FrameError, `not a FrameError: ${error}`);
    assert.equal(error.code, Close.UNSUPPORTED);
    assert.ok(error.reason.length > 0 && error.reason.length <= 120);
    return 'refused';
  }
}

describe('bridge protocol frames', () => {
  it('parses each GATT op with its fields', () => {
    assert.deepEqual(parseGattRequest('{"id":1,"op":"connect"}'), { id: 1, op: 'connect' });
    assert.deepEqual(parseGattRequest('{"id":5,"op":"connect","address":"aafb0d948170"}'), { id: 5, op: 'connect', address: 'aafb0d948170' });
    assert.deepEqual(parseGattRequest('{"id":6,"op":"scan"}'), { id: 6, op: 'scan' });
    assert.deepEqual(parseGattRequest('{"id":2,"op":"mtu","mtu":517}'), { id: 2, op: 'mtu', mtu: 517 });
    assert.deepEqual(parseGattRequest(JSON.stringify({ id: 3, op: 'write', service: SERVICE, characteristic: SERVICE, value: '00ff', withResponse: false })),
      { id: 3, op: 'write', service: SERVICE, characteristic: SERVICE, value: '00ff', withResponse: false });
    assert.deepEqual(parseControlRequest('{"id":4,"op":"battery","voltage":2.55}', SCENARIOS), { id: 4, op: 'battery', voltage: 2.55 });
  });

  it('names what is wrong', () => {
    const reason = (text: string, control = false) => {
      try {
        if (control) parseControlRequest(text, SCENARIOS);
        else parseGattRequest(text);
      } catch (error) {
        return (error as FrameError).reason;
      }
      return 'accepted';
    };
    assert.equal(reason('[1]'), 'a frame must be a JSON object');
    assert.equal(reason('{"op":"connect"}'), 'missing or non-integer id');
    assert.equal(reason('{"id":1,"op":"connect","address":"AAFB0D948170"}'), 'connect: address must be 12 lowercase hex digits');
    assert.equal(reason('{"id":1,"op":"mtu","mtu":22}'), 'mtu: mtu must be an integer 23..517');
    assert.equal(reason(JSON.stringify({ id: 1, op: 'read', service: SERVICE.toUpperCase(), characteristic: SERVICE })), 'read: service must be a lowercase 128-bit UUID');
    assert.equal(reason(JSON.stringify({ id: 1, op: 'write', service: SERVICE, characteristic: SERVICE, value: 'ABC', withResponse: true })), 'write: value must be lowercase hex');
    assert.equal(reason('{"id":1,"op":"scenario","name":"vf"}', true), 'scenario: unknown scenario "vf"');
    assert.equal(reason('{"id":1,"op":"button"}', true), 'button: held must be a boolean');
  });

  it('never lets anything but a FrameError out, whatever the frame', () => {
    const json = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.double()), op: fc.constantFrom('connect', 'mtu', 'read', 'write', 'subscribe', 'button', 'battery', 'scenario', 'state', 'x') }, { requiredKeys: [] })
        .chain((base) => fc.dictionary(fc.constantFrom('mtu', 'service', 'characteristic', 'value', 'withResponse', 'held', 'name', 'status', 'voltage'), fc.anything()).map((extra) => JSON.stringify({ ...extra, ...base }))),
    );
    fc.assert(fc.property(json, (text) => {
      outcome(() => parseGattRequest(text));
      outcome(() => parseControlRequest(text, SCENARIOS));
    }), { numRuns: 2000, seed: 13 });
  });

  it('maps UUIDs and voltages as documented', () => {
    assert.equal(fullUuid('1800'), '00001800-0000-1000-8000-00805f9b34fb');
    assert.equal(fullUuid('7E5A0001-4C1B-4E8B-9D3A-2F6C1B0E9A51'), SERVICE);
    assert.deepEqual([2.8, 2.61, 2.6, 2.51, 2.5, 2.41, 2.4, 0].map(batteryStatusOf), ['BOL', 'BOL', 'ERN', 'ERN', 'ERT', 'ERT', 'ERP', 'ERP']);
  });
});
