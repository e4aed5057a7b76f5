// Attacks on the channel as an on-path or nearby attacker would run them: replay, reorder,
// truncation, bit flips, reflection, handshake tampering, key substitution, bad public keys and
// floods. Each must be refused with its defined outcome, run no command, and leave the state
// docs/protocol.md documents ("State machine").
// @req SEC-01, SEC-02 (docs/traceability.md)
import assert from 'node:assert/strict';
import { Status } from '../../modules/channel/status.js';
import { fragmentMessage, MessageType } from '../../modules/channel/framing.js';
import { MAX_REFUSED_FRAMES, selectorFor } from '../../modules/channel/protocol.js';
import { encodeRequest } from '../../modules/channel/commands.js';
import type { SecureTransport } from '../../modules/channel/transport.js';
import { ClientError } from '../../programmer/client.js';
import { connectPair, keyPair } from '../../host/fixtures/channel-fixture.js';
import type { Pair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

/** Groups fragments into messages (a message starts with a START fragment). */
function messagesOf(fragments: Uint8Array[]): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  for (const f of fragments) {
    if (f[0] & 0x80) out.push([f]);
    else out.at(-1)!.push(f);
  }
  return out;
}

/** The body of a message from its fragments. */
function bodyOf(fragments: Uint8Array[]): Uint8Array {
  const parts = [fragments[0].subarray(4), ...fragments.slice(1).map((f) => f.subarray(1))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
}

function inject(p: Pair, type: number, body: Uint8Array): void {
  for (const f of fragmentMessage(type, body, p.device.mtu)) p.device.receiveFragment(f);
}

/** An open session after one noop, with the wire captured. */
async function openSession(seed = 1): Promise<Pair> {
  const p = connectPair({ seed });
  await p.client.connect();
  await p.client.request('test.noop');
  await p.client.request('test.echo', new Map([['data', new Uint8Array(40).fill(1)]]));
  return p;
}

/** The programmer's transport, to forge frames a real attacker could only capture. */
function sessionTransport(p: Pair): SecureTransport {
  return (p.client as unknown as { initiator: { transport: SecureTransport } }).initiator.transport;
}

const TRANSPORT_UP = (p: Pair) => messagesOf(p.wire.up).filter((m) => m[0][1] === MessageType.TRANSPORT);

describe('attacks on the secure channel', () => {
  it('refuses every captured transport frame replayed in the same session, without decrypting it', async () => {
    const p = await openSession();
    const frames = TRANSPORT_UP(p);
    assert.equal(frames.length, 2);
    const handledBefore = p.handled.length;
    for (const frame of frames) {
      const before = p.outcomes.length;
      for (const f of frame) p.device.receiveFragment(f);
      assert.deepEqual(p.outcomes.slice(before), ['refused']);
    }
    assert.equal(p.handled.length, handledBefore, 'no command ran twice');
    assert.equal(p.device.responder.state, 'open', 'a replay is dropped; the session goes on');
    assert.equal(p.gate.events.filter((e) => e.kind === 'replay-rejected').length, 2);
    assert.equal((await p.client.request('test.noop')).status, Status.OK, 'the genuine programmer is unaffected');
  });

  it('refuses every captured frame, handshake included, replayed in a later session', async () => {
    const first = await openSession();
    const captured = messagesOf(first.wire.up);
    // Same device and programmer keys, a new connection: the attacker plays back the whole capture.
    const later = connectPair({ seed: 99, deviceKey: first.deviceKey, programmerKey: first.programmerKey, sessionId: 2 });
    for (const m of captured) for (const f of m) later.device.receiveFragment(f);
    // The replayed IK message 1 is authentic, so the device answers it with a fresh ephemeral;
    // the replayed transport frames were sealed under the old session's keys and fail.
    assert.deepEqual(later.outcomes, ['session-opened', 'ended']);
    assert.deepEqual(later.disconnects, [Status.AUTH_FAILED]);
    assert.deepEqual(later.handled, [], 'no replayed command ran');
    assert.equal(later.device.responder.state, 'closed');
  });

  it('accepts only the next nonce: a reordered frame is refused until its turn', async () => {
    const p = await openSession();
    const transport = sessionTransport(p);
    const a = transport.seal(encodeRequest(100, 'test.noop', new Map()));
    const b = transport.seal(encodeRequest(101, 'test.noop', new Map()));
    const before = p.outcomes.length;
    inject(p, MessageType.TRANSPORT, b);
    inject(p, MessageType.TRANSPORT, a);
    inject(p, MessageType.TRANSPORT, b);
    assert.deepEqual(p.outcomes.slice(before), ['refused', 'request-handled', 'request-handled']);
  });

  it('ends the session on a truncated or bit-flipped frame, and refuses flips of the nonce without crypto', async () => {
    const reference = await openSession();
    const frame = bodyOf(TRANSPORT_UP(reference)[0]);
    for (let cut = 1; cut < frame.length; cut += 3) {
      const p = await openSession();
      const handled = p.handled.length;
      // Inject the genuine next frame, truncated: the attacker holds it back and sends a prefix.
      const transport = sessionTransport(p);
        const next = transport.seal(encodeRequest(7, 'test.noop', new Map()));
      inject(p, MessageType.TRANSPORT, next.subarray(0, Math.min(cut, next.length - 1)));
      const expected = cut < 24 ? 'refused' : 'ended';
      assert.equal(p.outcomes.at(-1), expected, `truncated to ${cut}`);
      assert.equal(p.handled.length, handled);
    }
    for (let byte = 0; byte < 30; byte++) {
      const p = await openSession(byte + 2);
      const transport = sessionTransport(p);
        const next = transport.seal(encodeRequest(7, 'test.noop', new Map()));
      next[byte] ^= 1 << (byte % 8);
      const handled = p.handled.length;
      const dhBefore = p.deviceDh.count;
      inject(p, MessageType.TRANSPORT, next);
      if (byte < 8) {
        assert.equal(p.outcomes.at(-1), 'refused', 'a changed nonce is a replay or a gap');
        assert.equal(p.device.responder.state, 'open');
      } else {
        assert.equal(p.outcomes.at(-1), 'ended', `flip in byte ${byte} fails authentication`);
        assert.deepEqual(p.disconnects, [Status.AUTH_FAILED]);
        assert.equal(p.gate.events.at(-1)!.kind, 'auth-failure');
      }
      assert.equal(p.handled.length, handled);
      assert.equal(p.deviceDh.count, dhBefore, 'no DH in transport');
    }
  });

  it('refuses frames reflected back to their sender', async () => {
    const p = await openSession();
    // The device's own response, sent back to it: its receive key is the other direction's.
    const down = messagesOf(p.wire.down).filter((m) => m[0][1] === MessageType.TRANSPORT);
    for (const f of down[0]) p.device.receiveFragment(f);
    assert.equal(p.outcomes.at(-1), 'refused', 'a captured response carries an old nonce');
    // Even at exactly the nonce the device expects next, its own direction's key does not open it.
    const deviceTransport = (p.device.responder as unknown as { transport: SecureTransport }).transport;
    inject(p, MessageType.TRANSPORT, deviceTransport.seal(encodeRequest(9, 'test.noop', new Map())));
    assert.equal(p.outcomes.at(-1), 'ended');
    assert.deepEqual(p.disconnects, [Status.AUTH_FAILED]);
    // A request reflected to the programmer, at exactly the nonce it expects next, fails authentication there.
    const q = await openSession(5);
    const transport = (q.client as unknown as { initiator: { transport: SecureTransport } }).initiator.transport;
    const reflected = transport.seal(encodeRequest(9, 'test.noop', new Map()));
    assert.deepEqual(transport.open(reflected), { ok: false, error: 'decrypt-failed' });
  });

  it('rejects IK message 1 and XX message 3 tampered at every byte before any certificate check', async () => {
    const ref = connectPair();
    await ref.client.connect();
    const hello = bodyOf(messagesOf(ref.wire.up)[0]);
    for (let i = 0; i < hello.length; i++) {
      const p = connectPair();
      const body = hello.slice();
      body[i] ^= 0x20;
      inject(p, MessageType.HELLO, body);
      assert.equal(p.device.responder.state, 'closed', `byte ${i}`);
      assert.deepEqual(p.disconnects, [i === 0 ? Status.UNSUPPORTED_PROTOCOL : Status.AUTH_FAILED]);
      assert.equal(p.gate.authenticated, 0, 'authenticatePeer never sees a tampered handshake');
    }
    const xx = connectPair({ pattern: 'XX' });
    await xx.client.connect();
    const final = bodyOf(messagesOf(xx.wire.up)[1]);
    for (let i = 0; i < final.length; i++) {
      const p = connectPair({ pattern: 'XX', seed: 3 });
      const client = p.client as unknown as { initiator: { hello(): Uint8Array; readHandshake(b: Uint8Array): Uint8Array } };
      inject(p, MessageType.HELLO, client.initiator.hello());
      const msg2 = bodyOf(messagesOf(p.wire.down)[0]);
      const msg3 = client.initiator.readHandshake(msg2).slice();
      msg3[i] ^= 0x01;
      inject(p, MessageType.HANDSHAKE, msg3);
      assert.deepEqual(p.disconnects, [Status.AUTH_FAILED], `XX message 3 byte ${i}`);
      assert.equal(p.gate.authenticated, 0);
    }
  });

  it('makes the programmer reject a tampered device answer at every byte', async () => {
    const ref = connectPair();
    await ref.client.connect();
    const answer = bodyOf(messagesOf(ref.wire.down)[0]);
    for (let i = 0; i < answer.length; i++) {
      const p = connectPair();
      const client = p.client as unknown as { initiator: { hello(): Uint8Array; readHandshake(b: Uint8Array): Uint8Array | undefined } };
      client.initiator.hello();
      const tampered = answer.slice();
      tampered[i] ^= 0x80;
      assert.throws(() => client.initiator.readHandshake(tampered), `byte ${i}`);
    }
  });

  it('defeats a man in the middle who substitutes keys', async () => {
    const prng = new Prng(42);
    // IK towards an impostor holding another static key: it cannot read message 1.
    const impostor = keyPair(prng);
    const real = keyPair(prng);
    const p = connectPair({ deviceKey: impostor, expectedDeviceKey: real.publicKey });
    await assert.rejects(p.client.connect(), (e: ClientError) => e.code === 'alert' && e.status === Status.AUTH_FAILED);
    assert.equal(p.gate.authenticated, 0);
    // XX with the device key pinned from pairing: a relay that answers with its own key is caught.
    const q = connectPair({ pattern: 'XX', deviceKey: impostor, expectedDeviceKey: real.publicKey });
    await assert.rejects(q.client.connect(), (e: ClientError) => e.code === 'protocol');
    // The attacker swaps the ephemeral in a genuine message 1: es no longer matches.
    const r = connectPair();
    const client = r.client as unknown as { initiator: { hello(): Uint8Array } };
    const hello = client.initiator.hello();
    hello.set(keyPair(prng).publicKey, 1);
    inject(r, MessageType.HELLO, hello);
    assert.deepEqual(r.disconnects, [Status.AUTH_FAILED]);
  });

  it('rejects low-order public keys as ephemerals', () => {
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const hex of lowOrder) {
      const p = connectPair();
      const body = new Uint8Array(1 + 32 + 48 + 16 + 1);
      body[0] = selectorFor('IK', 'AESGCM');
      body.set(Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16))), 1);
      inject(p, MessageType.HELLO, body);
      assert.deepEqual(p.disconnects, [Status.AUTH_FAILED], hex);
      assert.equal(p.gate.events[0].kind, 'handshake-failed');
    }
  });

  it('keeps floods cheap: framing and admission errors cost no DH and end the connection', () => {
    // Oversize declaration, orphan continuations, unknown types and HELLO floods before a session.
    const cases: [Uint8Array[], number][] = [
      [[Uint8Array.of(0x80, MessageType.HELLO, 0xff, 0xff)], Status.FRAMING_ERROR],
      [Array.from({ length: 10000 }, (_, i) => Uint8Array.of(i & 0x3f, 0xaa)), Status.FRAMING_ERROR],
      [[Uint8Array.of(0xc0, 0x09, 0x00, 0x01, 0x00)], Status.FRAMING_ERROR],
      [[Uint8Array.of(0xc0, MessageType.TRANSPORT, 0x00, 0x01, 0x00)], Status.UNEXPECTED_MESSAGE],
      [[Uint8Array.of(0xc0, MessageType.HELLO, 0x00, 0x02, 0x11, 0x00)], Status.AUTH_FAILED],
    ];
    for (const [fragments, status] of cases) {
      const p = connectPair();
      for (const f of fragments) p.device.receiveFragment(f);
      assert.deepEqual(p.disconnects, [status]);
      assert.equal(p.deviceDh.count, 0, 'no DH');
      assert.equal(p.gate.admitted, 0, 'not even admission ran');
    }
    // A well-formed HELLO while admission refuses (rate limit, lockout): no DH at all.
    const p = connectPair();
    p.gate.admitStatus = Status.RATE_LIMITED;
    const client = p.client as unknown as { initiator: { hello(): Uint8Array } };
    inject(p, MessageType.HELLO, client.initiator.hello());
    assert.deepEqual(p.disconnects, [Status.RATE_LIMITED]);
    assert.equal(p.deviceDh.count, 0);
  });

  it('ends a session flooded with refused frames after the documented allowance', async () => {
    const p = await openSession();
    const replay = TRANSPORT_UP(p)[0];
    for (let i = 0; i < MAX_REFUSED_FRAMES; i++) for (const f of replay) p.device.receiveFragment(f);
    assert.equal(p.device.responder.state, 'open');
    for (const f of replay) p.device.receiveFragment(f);
    assert.equal(p.device.responder.state, 'closed');
    assert.deepEqual(p.disconnects, [Status.TOO_MANY_ERRORS]);
    // Oversize and out-of-order fragments inside a session count the same way.
    const q = await openSession(8);
    for (let i = 0; i <= MAX_REFUSED_FRAMES; i++) q.device.receiveFragment(Uint8Array.of(0x80, MessageType.TRANSPORT, 0xff, 0xff));
    assert.deepEqual(q.disconnects, [Status.TOO_MANY_ERRORS]);
  });

  it('sends no application data before the handshake completes', async () => {
    const p = connectPair({ pattern: 'XX' });
    const client = p.client as unknown as { initiator: { hello(): Uint8Array } };
    inject(p, MessageType.HELLO, client.initiator.hello());
    assert.equal(p.device.responder.state, 'await-final');
    inject(p, MessageType.TRANSPORT, new Uint8Array(40));
    assert.deepEqual(p.disconnects, [Status.UNEXPECTED_MESSAGE]);
    assert.deepEqual(p.handled, []);
  });
});
