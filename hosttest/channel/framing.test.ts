import assert from 'node:assert/strict';
import { fragmentMessage, MAX_MESSAGE_BYTES, MessageType, REASSEMBLY_TIMEOUT_MS, Reassembler } from '../../modules/channel/framing.js';
import type { FramedMessage, FramingErrorCode } from '../../modules/channel/framing.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

function harness() {
  const clock = new VirtualClock();
  const messages: FramedMessage[] = [];
  const errors: FramingErrorCode[] = [];
  const r = new Reassembler({ clock, onMessage: (m) => messages.push(m), onError: (e) => errors.push(e) });
  return { clock, r, messages, errors };
}

describe('framing', () => {
  it('uses a 4-byte START header and 1-byte continuation headers with a 6-bit index', () => {
    const body = new Uint8Array(100).map((_, i) => i);
    const f = fragmentMessage(MessageType.TRANSPORT, body, 23);
    assert.deepEqual([...f[0].subarray(0, 4)], [0x80, 0x03, 0x00, 100]);
    assert.equal(f[0].length, 20);
    assert.deepEqual([f[1][0], f[2][0]], [0x01, 0x02]);
    assert.equal(f.at(-1)![0] & 0x40, 0x40, 'END on the last fragment');
    assert.equal(f.length, 1 + Math.ceil((100 - 16) / 19));
    const single = fragmentMessage(MessageType.ALERT, Uint8Array.of(5), 517);
    assert.deepEqual([...single[0]], [0xc0, 0x04, 0x00, 0x01, 0x05]);
  });

  it('wraps the fragment index after 64 fragments', () => {
    const { r, messages, errors } = harness();
    const body = new Uint8Array(MAX_MESSAGE_BYTES).fill(3);
    const f = fragmentMessage(MessageType.TRANSPORT, body, 23);
    assert.ok(f.length > 64);
    assert.equal(f[64][0] & 0x3f, 0);
    for (const x of f) r.push(x, 23);
    assert.deepEqual(errors, []);
    assert.deepEqual(messages[0].body, body);
  });

  it('reports a timeout once and drops the late message\'s remaining fragments silently, nothing else', () => {
    const { clock, r, messages, errors } = harness();
    const body = new Uint8Array(200).fill(9);
    const f = fragmentMessage(MessageType.TRANSPORT, body, 23);
    for (const x of f.slice(0, 3)) r.push(x, 23);
    clock.advance(REASSEMBLY_TIMEOUT_MS);
    assert.deepEqual(errors, ['timeout']);
    for (const x of f.slice(3)) r.push(x, 23);
    assert.deepEqual(errors, ['timeout'], 'the rest of the late message costs no error');
    for (const x of f) r.push(x, 23);
    assert.deepEqual(messages.map((m) => m.body.length), [200], 'resent, it is reassembled');
    // Only fragments that continue the late message in order are dropped.
    for (const x of f.slice(0, 3)) r.push(x, 23);
    clock.advance(REASSEMBLY_TIMEOUT_MS);
    r.push(f[4], 23);
    assert.deepEqual(errors, ['timeout', 'timeout', 'out-of-order'], 'a skipped index is an error again');
    r.push(f[5], 23);
    assert.deepEqual(errors.length, 4, 'and so is everything after it');
  });

  it('names each defect and drops the partial message', () => {
    const cases: [Uint8Array[], FramingErrorCode][] = [
      [[Uint8Array.of(0x80, 0x03, 0x08, 0x01)], 'oversize'],
      [[Uint8Array.of(0x80, 0x03, 0x00, 0x04, 1), Uint8Array.of(0x41, 1, 2, 3, 4)], 'oversize'],
      [[Uint8Array.of(0x80, 0x03, 0x00, 0x04, 1), Uint8Array.of(0x42, 1, 2, 3)], 'out-of-order'],
      [[Uint8Array.of(0x80, 0x03, 0x00, 0x04, 1), Uint8Array.of(0x80, 0x03, 0x00, 0x01)], 'out-of-order'],
      [[Uint8Array.of(0x41, 1)], 'out-of-order'],
      [[Uint8Array.of(0xc0, 0x07, 0x00, 0x01, 1)], 'unknown-type'],
      [[Uint8Array.of(0xc0, 0x00, 0x00, 0x01, 1)], 'unknown-type'],
      [[Uint8Array.of(0xc0, 0x03, 0x00, 0x00)], 'malformed'],
      [[Uint8Array.of(0xc0, 0x03, 0x00)], 'malformed'],
      [[Uint8Array.of(0xc1, 0x03, 0x00, 0x01, 1)], 'malformed'],
      [[Uint8Array.of(0xc0, 0x03, 0x00, 0x02, 1)], 'malformed'],
      [[Uint8Array.of(0x80, 0x03, 0x00, 0x01, 1)], 'malformed'],
      [[new Uint8Array(0)], 'malformed'],
      [[new Uint8Array(21)], 'malformed'],
    ];
    for (const [fragments, code] of cases) {
      const { r, errors, messages } = harness();
      for (const f of fragments) r.push(f, 23);
      assert.deepEqual(errors, [code], fragments.map((f) => Buffer.from(f).toString('hex')).join(' '));
      assert.equal(messages.length, 0);
      assert.equal(r.busy, false);
    }
  });

  it('times out an incomplete message and then accepts a new one', () => {
    const { r, errors, messages, clock } = harness();
    const f = fragmentMessage(MessageType.TRANSPORT, new Uint8Array(50), 23);
    r.push(f[0], 23);
    clock.advance(REASSEMBLY_TIMEOUT_MS - 1);
    assert.equal(r.busy, true);
    clock.advance(1);
    assert.deepEqual(errors, ['timeout']);
    assert.equal(r.busy, false);
    for (const x of f) r.push(x, 23);
    assert.equal(messages.length, 1);
  });

  it('refuses to build fragments it could not reassemble', () => {
    assert.throws(() => fragmentMessage(MessageType.TRANSPORT, new Uint8Array(0), 23), RangeError);
    assert.throws(() => fragmentMessage(MessageType.TRANSPORT, new Uint8Array(MAX_MESSAGE_BYTES + 1), 23), RangeError);
    assert.throws(() => fragmentMessage(9, new Uint8Array(1), 23), RangeError);
  });
});
