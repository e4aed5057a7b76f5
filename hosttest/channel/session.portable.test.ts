// An IK and an XX session between the programmer's initiator and the device's connection, with a
// command round trip, on Node and inside XS (the engine the device runs).
import { decodeCbor } from '../../modules/core/cbor.js';
import { CommandDispatcher, defineCommand, encodeRequest, ok } from '../../modules/channel/commands.js';
import { DeviceConnection } from '../../modules/channel/connection.js';
import { fragmentMessage, MessageType, Reassembler } from '../../modules/channel/framing.js';
import type { FramedMessage } from '../../modules/channel/framing.js';
import { s } from '../../modules/channel/schema.js';
import { Status } from '../../modules/channel/status.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { ChannelInitiator } from '../../programmer/initiator.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { bytesEqual, deepEqual, equal, ok as assertOk } from '../lib/assert.js';

const crypto = nobleProvider;
const pair = (seed: number) => {
  const secretKey = new Uint8Array(32).map((_, i) => (seed * 7 + i * 13) & 0xff);
  return { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
};

function run(pattern: 'IK' | 'XX', mtu: number): void {
  const clock = new VirtualClock();
  const deviceKey = pair(1), programmerKey = pair(2);
  const fromDevice: FramedMessage[] = [];
  const inbound = new Reassembler({ clock, onMessage: (m) => fromDevice.push(m), onError: (e) => { throw new Error(`framing ${e}`); } });
  const device = new DeviceConnection({
    crypto, clock, staticKey: deviceKey, sessionId: 1, physicalPresence: () => false,
    gate: {
      connectable: () => true,
      admitConnection: () => Status.OK,
      sessionEvent: () => {},
      admit: () => Status.OK,
      authenticatePeer: (claim) => ({ ok: true, principal: { role: 'clinician', keyId: claim.remoteStatic.slice(0, 8), staticKey: claim.remoteStatic } }),
    },
    dispatcher: new CommandDispatcher({
      policy: { authorize: () => Status.OK, completed: () => {} },
      commands: [defineCommand({ name: 'test.echo', args: s.struct({ data: s.bytes(600) }), maxArgBytes: 700, handler: (a) => ok(a.data) })],
    }),
    notify: (f) => inbound.push(f, mtu),
    disconnect: (status) => { throw new Error(`device disconnected with ${status}`); },
  });
  device.mtu = mtu;
  const send = (type: number, body: Uint8Array) => {
    for (const f of fragmentMessage(type, body, mtu)) device.receiveFragment(f);
  };
  const initiator = new ChannelInitiator({
    crypto, pattern, staticKey: programmerKey, certificate: new Uint8Array([0xa0]), deviceStatic: pattern === 'IK' ? deviceKey.publicKey : undefined,
  });
  send(MessageType.HELLO, initiator.hello());
  equal(fromDevice.length, 1, 'one handshake answer');
  const final = initiator.readHandshake(fromDevice.shift()!.body);
  if (final) send(MessageType.HANDSHAKE, final);
  equal(device.responder.state, 'open');
  bytesEqual(initiator.deviceStatic!, deviceKey.publicKey, 'the programmer has the device key');
  bytesEqual(device.responder.session!.handshakeHash, initiator.transport!.handshakeHash, 'same channel binding');
  const data = new Uint8Array(500).map((_, i) => i & 0xff);
  send(MessageType.TRANSPORT, initiator.transport!.seal(encodeRequest(5, 'test.echo', new Map([['data', data]]))));
  const opened = initiator.transport!.open(fromDevice.shift()!.body);
  assertOk(opened.ok, 'the response authenticates');
  deepEqual(decodeCbor(opened.ok ? opened.plaintext : new Uint8Array(0)), [5, Status.OK, data]);
}

describe('channel session (portable)', () => {
  it('IK at MTU 23 and 247', () => {
    run('IK', 23);
    run('IK', 247);
  });
  it('XX at MTU 517', () => run('XX', 517));
});
