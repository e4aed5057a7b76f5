// A slow client at the smallest MTU, through the assembled firmware over the BLE shim
// (docs/protocol.md §3, "Pacing"): a message whose fragments do not all arrive within the
// reassembly timeout is dropped as one refused frame, its late fragments are ignored, and the
// session goes on; the client resends the same TRANSPORT body at the documented pace.
import assert from 'node:assert/strict';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { encodeRequest } from '../../modules/channel/commands.js';
import { fragmentMessage, MessageType, MIN_ATT_MTU, REASSEMBLY_TIMEOUT_MS } from '../../modules/channel/framing.js';
import { MAX_REFUSED_FRAMES } from '../../modules/channel/protocol.js';
import { Status } from '../../modules/channel/status.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ChannelInitiator } from '../../programmer/initiator.js';
import { run } from '../../host/board/drive.js';
import { programmerIdentity } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import { decodeCbor } from '../../modules/core/cbor.js';
import { Reassembler } from '../../modules/channel/framing.js';
import type { FramedMessage } from '../../modules/channel/framing.js';
import { SimulatedCentral } from '../../host/ble/radio.js';

describe('channel: pacing of a large message at MTU 23 through the firmware', () => {
  it('one late message is one refused frame, not TOO_MANY_ERRORS; resent at pace it is answered', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const who = programmerIdentity('clinician');
    const central = new SimulatedCentral(b.radio);
    central.connect(); // no MTU exchange: ATT_MTU 23, 20-byte fragments
    central.enableNotifications(IMPLANT_GATT.response);
    const received: FramedMessage[] = [];
    const reassembler = new Reassembler({ clock: b.clock, onMessage: (m) => void received.push(m), onError: (code) => assert.fail(code) });
    central.onNotification = (n) => reassembler.push(n.value, MIN_ATT_MTU);
    const write = (type: number, body: Uint8Array) => fragmentMessage(type, body, MIN_ATT_MTU);
    const initiator = new ChannelInitiator({
      crypto, pattern: 'IK', staticKey: who.staticKey, certificate: who.certificate,
      deviceStatic: b.firmware.access!.identity.identity().staticPublic,
    });
    for (const f of write(MessageType.HELLO, initiator.hello())) central.write(IMPLANT_GATT.control, f);
    await run(b.clock, 50);
    assert.equal(received[0]?.type, MessageType.HANDSHAKE);
    initiator.readHandshake(received.shift()!.body);
    const transport = initiator.transport!;

    // The largest request (2048-byte message): 108 fragments at MTU 23.
    const request = encodeRequest(1, 'access.whoami', new Uint8Array(transport.maxPlaintext - 22));
    assert.equal(request.length, transport.maxPlaintext);
    const frame = transport.seal(request);
    const fragments = write(MessageType.TRANSPORT, frame);
    assert.ok(fragments.length > MAX_REFUSED_FRAMES * 10);
    // Too slow: one fragment every 25 ms takes 2.7 s, past the 2 s reassembly timeout.
    for (const f of fragments) {
      central.write(IMPLANT_GATT.control, f);
      await run(b.clock, 25);
    }
    assert.equal(received.length, 0, 'no answer to the late message');
    assert.equal(central.connected, true, 'the session survives: one refused frame');
    // At the documented pace (the whole message within the timeout) the same body is answered.
    const pace = Math.floor(REASSEMBLY_TIMEOUT_MS / fragments.length) - 1;
    for (const f of fragments) {
      central.write(IMPLANT_GATT.control, f);
      await run(b.clock, pace, pace);
    }
    await run(b.clock, 50);
    assert.equal(received.length, 1);
    assert.equal(received[0].type, MessageType.TRANSPORT, `got ${received[0].type} ${received[0].body[0]}`);
    const opened = transport.open(received[0].body);
    assert.ok(opened.ok);
    assert.deepEqual((decodeCbor(opened.plaintext) as unknown[]).slice(0, 2), [1, Status.ARGS_TOO_LARGE]);
    central.disconnect();
    b.firmware.stop();
  });
});
