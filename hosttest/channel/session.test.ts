import assert from 'node:assert/strict';
import { Status } from '../../modules/channel/status.js';
import { ClientError } from '../../programmer/client.js';
import { IDLE_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS } from '../../modules/channel/protocol.js';
import { connectPair } from '../../host/fixtures/channel-fixture.js';

describe('secure channel sessions', () => {
  for (const pattern of ['IK', 'XX'] as const) {
    for (const mtu of [23, 185, 517]) {
      it(`${pattern} handshake and command round trips at MTU ${mtu}`, async () => {
        const p = connectPair({ pattern, mtu });
        const info = await p.client.connect();
        assert.equal(p.device.responder.state, 'open');
        assert.deepEqual(info.deviceStatic, p.deviceKey.publicKey, 'the programmer knows or learned the device key');
        assert.deepEqual(info.handshakeHash, p.device.responder.session!.handshakeHash, 'both ends agree on the channel binding');
        assert.equal(p.device.responder.session!.pattern, pattern);
        const noop = await p.client.request('test.noop');
        assert.deepEqual([noop.status, noop.result], [Status.OK, null]);
        const data = new Uint8Array(700).map((_, i) => i);
        const echo = await p.client.request('test.echo', new Map([['data', data]]));
        assert.deepEqual(echo.result, data);
        assert.equal((await p.client.request('nope.x')).status, Status.UNKNOWN_COMMAND);
        for (const f of [...p.wire.up, ...p.wire.down]) assert.ok(f.length <= mtu - 3, 'every fragment fits the MTU');
        assert.deepEqual(p.gate.events.map((e) => e.kind), ['session-opened']);
      });
    }
  }

  it('ends a session that stays idle, and a handshake that does not finish', async () => {
    const p = connectPair();
    await p.client.connect();
    p.clock.advance(IDLE_TIMEOUT_MS - 1);
    assert.equal(p.device.responder.state, 'open');
    await p.client.request('test.noop');
    p.clock.advance(IDLE_TIMEOUT_MS - 1);
    assert.equal(p.device.responder.state, 'open', 'each authenticated request restarts the idle timer');
    p.clock.advance(1);
    assert.equal(p.device.responder.state, 'closed');
    assert.deepEqual(p.disconnects, [Status.TIMEOUT]);
    await assert.rejects(p.client.request('test.noop'), (e: ClientError) => e.code === 'alert' && e.status === Status.TIMEOUT);

    const q = connectPair();
    q.clock.advance(HANDSHAKE_TIMEOUT_MS);
    assert.equal(q.device.responder.state, 'closed');
    assert.deepEqual(q.disconnects, [Status.TIMEOUT]);
  });

  it('refuses an unknown programmer key after Noise, and an admission refusal before any DH', async () => {
    const p = connectPair({ allowed: [] });
    await assert.rejects(p.client.connect(), (e: ClientError) => e.code === 'alert' && e.status === Status.UNKNOWN_PEER);
    assert.equal(p.device.responder.state, 'closed');
    assert.deepEqual(p.gate.events.map((e) => e.kind), ['peer-rejected']);

    const q = connectPair();
    q.gate.admitStatus = Status.RATE_LIMITED;
    await assert.rejects(q.client.connect(), (e: ClientError) => e.status === Status.RATE_LIMITED);
    assert.equal(q.gate.authenticated, 0, 'no DH, no certificate check after a refusal');
  });

  it('answers requests in the order of their nonces and keeps request ids', async () => {
    const p = connectPair();
    await p.client.connect();
    for (let i = 1; i <= 20; i++) {
      const r = await p.client.request('test.noop');
      assert.equal(r.requestId, i);
    }
  });
});
