// Model-based test of an open session: random sequences of genuine requests, replays, framing
// junk, forged frames and idle time, checked step by step against the documented state machine
// (docs/protocol.md section 8): replays and junk are counted and dropped, the ninth refusal, a forged
// frame at the expected nonce or 60 s of idleness close the session, and every genuine request
// runs its handler exactly once.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MessageType, fragmentMessage } from '../../modules/channel/framing.js';
import { IDLE_TIMEOUT_MS, MAX_REFUSED_FRAMES } from '../../modules/channel/protocol.js';
import { Status } from '../../modules/channel/status.js';
import { connectPair } from '../../host/fixtures/channel-fixture.js';

type Action =
  | { kind: 'request' }
  | { kind: 'replay'; pick: number }
  | { kind: 'junk' }
  | { kind: 'forge'; tail: Uint8Array }
  | { kind: 'idle'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ kind: 'request' }),
  fc.nat().map((pick): Action => ({ kind: 'replay', pick })),
  fc.constant<Action>({ kind: 'junk' }),
  fc.uint8Array({ minLength: 16, maxLength: 40 }).map((tail): Action => ({ kind: 'forge', tail })),
  fc.integer({ min: 1, max: IDLE_TIMEOUT_MS }).map((ms): Action => ({ kind: 'idle', ms })),
);

describe('session state machine (model-based)', () => {
  it('follows the documented transitions for any sequence of events', async () => {
    await fc.assert(fc.asyncProperty(fc.array(action, { maxLength: 25 }), async (actions) => {
      const p = connectPair({ seed: 5 });
      await p.client.connect();
      const model = { open: true, refused: 0, accepted: 0, idle: 0, closedWith: undefined as number | undefined };
      const sent: Uint8Array[][] = [];
      for (const a of actions) {
        if (!model.open) break;
        const upBefore = p.wire.up.length;
        switch (a.kind) {
          case 'request': {
            const r = await p.client.request('test.noop');
            assert.equal(r.status, Status.OK);
            sent.push(p.wire.up.slice(upBefore));
            model.accepted++;
            model.idle = 0;
            break;
          }
          case 'replay':
            if (sent.length === 0) continue;
            for (const f of sent[a.pick % sent.length]) p.device.receiveFragment(f);
            model.refused++;
            break;
          case 'junk':
            p.device.receiveFragment(Uint8Array.of(0x80, MessageType.TRANSPORT, 0xff, 0xff));
            model.refused++;
            break;
          case 'forge': {
            const frame = new Uint8Array(8 + a.tail.length);
            frame[7] = model.accepted; // the nonce the device expects next (fewer than 256 here)
            frame.set(a.tail, 8);
            for (const f of fragmentMessage(MessageType.TRANSPORT, frame, p.device.mtu)) p.device.receiveFragment(f);
            model.open = false;
            model.closedWith = Status.AUTH_FAILED;
            break;
          }
          case 'idle':
            p.clock.advance(a.ms);
            model.idle += a.ms;
            if (model.idle >= IDLE_TIMEOUT_MS) (model.open = false), (model.closedWith = Status.TIMEOUT);
            break;
        }
        if (model.open && model.refused > MAX_REFUSED_FRAMES) (model.open = false), (model.closedWith = Status.TOO_MANY_ERRORS);
        assert.equal(p.device.responder.state, model.open ? 'open' : 'closed', `after ${a.kind}`);
        assert.equal(p.handled.length, model.accepted, 'each genuine request ran once, nothing else ran');
        assert.deepEqual(p.disconnects, model.closedWith === undefined ? [] : [model.closedWith]);
      }
    }), { numRuns: 60, seed: 4242 });
  });
});
