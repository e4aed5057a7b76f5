// The web app's bridge adapter (webapp/src/ble/bridge-bluetooth.ts) and its one Web Bluetooth
// transport (gatt-link.ts) against a scripted bridge peer: the adapter behaves like Chrome's
// navigator.bluetooth where the transport could tell (filters, lower-case UUIDs, write types,
// a dropped link), and the transport subscribes before writing, sizes fragments to the link and
// puts each kind of message on its characteristic. The end-to-end run over the real simulator is
// webapp.browser.test.ts.
import assert from 'node:assert/strict';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { encodeDeviceInfo } from '../../modules/ble/device-info.js';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { fragmentMessage, MessageType } from '../../modules/channel/framing.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { BridgeBluetooth, REQUESTED_MTU } from '../../webapp/src/ble/bridge-bluetooth.js';
import type { BridgeSocket } from '../../webapp/src/ble/bridge-bluetooth.js';
import { GattLink, IMPLANT_SERVICE, requestImplant } from '../../webapp/src/ble/gatt-link.js';
import { pageClock } from '../../webapp/src/programmer/clock.js';

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;
type Op = Record<string, unknown> & { id: number; op: string };

const UP = (u: string) => u.toUpperCase();
const PROPERTIES: Record<string, string[]> = {
  [IMPLANT_GATT.deviceInfo]: ['read'], [IMPLANT_GATT.control]: ['write'], [IMPLANT_GATT.response]: ['notify'], [IMPLANT_GATT.otaData]: ['writeWithoutResponse'],
};

/** One bridge socket with a scripted peripheral behind it: answers every op, records them, can push events. */
class ScriptedBridge implements BridgeSocket {
  readonly ops: Op[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  closedWith: { code?: number; reason?: string } | undefined;

  constructor(private readonly mtu: number, refuse?: { code: number; reason: string }) {
    queueMicrotask(() => (refuse ? this.emit('close', refuse) : this.emit('open', {})));
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(text: string): void {
    const op = JSON.parse(text) as Op;
    this.ops.push(op);
    const reply = (fields: Record<string, unknown>) => queueMicrotask(() => this.emit('message', { data: JSON.stringify({ id: op.id, ok: true, ...fields }) }));
    switch (op.op) {
      case 'connect': return reply({ mtu: 23 });
      case 'mtu': return reply({ mtu: Math.min(Number(op.mtu), this.mtu) });
      case 'discover': return reply({ services: [{ uuid: UP(IMPLANT_GATT.service), characteristics: Object.entries(PROPERTIES).map(([uuid, properties]) => ({ uuid: UP(uuid), properties })) }] });
      case 'read': return reply({ value: toHex(encodeDeviceInfo({ model: 'IMPLANT-SIM', protocol: 1, selectors: [0x11, 0x12] })) });
      default: return reply({});
    }
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    queueMicrotask(() => this.emit('close', { code, reason }));
  }

  notify(characteristic: string, bytes: Uint8Array): void {
    this.emit('message', { data: JSON.stringify({ event: 'notification', service: UP(IMPLANT_GATT.service), characteristic: UP(characteristic), value: toHex(bytes) }) });
  }

  drop(reason: string): void {
    this.emit('message', { data: JSON.stringify({ event: 'disconnected', reason }) });
  }

  emit(type: string, event: { data?: unknown; code?: number; reason?: string }): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

function setUp(mtu = 247) {
  const sockets: ScriptedBridge[] = [];
  const bluetooth = new BridgeBluetooth('ws://127.0.0.1:1/bridge', () => {
    const s = new ScriptedBridge(mtu);
    sockets.push(s);
    return s;
  });
  return { bluetooth, sockets };
}

async function rejectsNamed(promise: Promise<unknown>, name: string): Promise<void> {
  await assert.rejects(promise, (error: Error) => error.name === name);
}

describe('web app: bridge adapter and Web Bluetooth transport', () => {
  it('finds the implant only through a filter naming its service in lower case', async () => {
    const { bluetooth, sockets } = setUp();
    await assert.rejects(bluetooth.requestDevice({}), TypeError);
    await assert.rejects(bluetooth.requestDevice({ filters: [{ services: [UP(IMPLANT_GATT.service)] }] }), TypeError);
    await rejectsNamed(bluetooth.requestDevice({ filters: [{ services: ['0000180d-0000-1000-8000-00805f9b34fb'] }] }), 'NotFoundError');
    await rejectsNamed(bluetooth.requestDevice({ filters: [{ services: [IMPLANT_SERVICE], namePrefix: 'Pump' }] }), 'NotFoundError');
    const device = await requestImplant(bluetooth);
    assert.equal(device.name, 'Implant');
    assert.equal(sockets.length, 0, 'choosing a device does not connect');
  });

  it('connects, asks for a large MTU, subscribes before the first write and sizes fragments to the MTU', async () => {
    const { bluetooth, sockets } = setUp(247);
    const device = await requestImplant(bluetooth);
    const link = await GattLink.open(device, { mtu: () => bluetooth.mtu });
    assert.equal(link.mtu, 247);
    const info = await link.readDeviceInfo();
    assert.deepEqual(info.selectors, [0x11, 0x12]);
    const client = new ProgrammerClient({
      link, clock: pageClock, crypto: nobleProvider, pattern: 'XX', timeoutMs: 50,
      staticKey: { secretKey: new Uint8Array(32).fill(7), publicKey: nobleProvider.x25519.publicKey(new Uint8Array(32).fill(7)) }, certificate: new Uint8Array(200).fill(1),
    });
    const handshake = client.connect().catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 5));
    const ops = sockets[0].ops;
    assert.deepEqual(ops.slice(0, 3).map((o) => o.op), ['connect', 'mtu', 'discover']);
    assert.equal(ops[1].mtu, REQUESTED_MTU);
    const subscribe = ops.findIndex((o) => o.op === 'subscribe');
    const firstWrite = ops.findIndex((o) => o.op === 'write');
    assert.ok(subscribe >= 0 && subscribe < firstWrite, 'subscribed to the response characteristic before writing');
    assert.equal(String(ops[subscribe].characteristic).toLowerCase(), IMPLANT_GATT.response.toLowerCase());
    const hello = fromHex(String(ops[firstWrite].value));
    assert.equal(ops[firstWrite].withResponse, true);
    assert.equal(String(ops[firstWrite].characteristic).toLowerCase(), IMPLANT_GATT.control.toLowerCase());
    assert.equal(hello[0] & 0xc0, 0xc0, 'XX message 1 fits one START|END fragment at MTU 247');
    assert.equal(hello[1], MessageType.HELLO);
    assert.equal(hello[4], 0x12, 'XX selector');
    assert.ok(await handshake instanceof Error, 'no answer: the client times out');
  });

  it('writes bulk fragments without response on the OTA data characteristic, each at most MTU - 3', async () => {
    const { bluetooth, sockets } = setUp(23);
    const link = await GattLink.open(await requestImplant(bluetooth), { mtu: () => bluetooth.mtu });
    assert.equal(link.mtu, 23);
    const fragments = fragmentMessage(MessageType.TRANSPORT, new Uint8Array(300).fill(9), link.mtu);
    for (const f of fragments) link.writeBulk(f);
    await new Promise((r) => setTimeout(r, 5));
    const writes = sockets[0].ops.filter((o) => o.op === 'write');
    assert.equal(writes.length, fragments.length);
    for (const w of writes) {
      assert.equal(w.withResponse, false);
      assert.equal(String(w.characteristic).toLowerCase(), IMPLANT_GATT.otaData.toLowerCase());
      assert.ok(fromHex(String(w.value)).length <= 20);
    }
    assert.deepEqual(writes.map((w) => String(w.value)), fragments.map(toHex), 'in order, unchanged');
    assert.equal(link.written.withoutResponse, fragments.reduce((n, f) => n + f.length, 0));
  });

  it('delivers notifications as fragments and reports a dropped link once', async () => {
    const { bluetooth, sockets } = setUp();
    const device = await requestImplant(bluetooth);
    const link = await GattLink.open(device);
    const got: string[] = [];
    let closed = 0;
    link.listen((f) => got.push(toHex(f)), () => closed++);
    let events = 0;
    device.addEventListener('gattserverdisconnected', () => events++);
    sockets[0].notify(IMPLANT_GATT.response, Uint8Array.of(0xc0, 4, 0, 1, 13));
    sockets[0].notify(IMPLANT_GATT.control, Uint8Array.of(1));
    assert.deepEqual(got, ['c00400010d'], 'only the response characteristic feeds the link');
    sockets[0].drop('supervision timeout');
    assert.equal(closed, 1);
    assert.equal(events, 1);
    assert.equal(device.gatt!.connected, false);
    assert.ok(sockets[0].closedWith, 'the adapter closes its socket');
    await rejectsNamed(device.gatt!.getPrimaryService(IMPLANT_SERVICE), 'NetworkError');
    link.write(Uint8Array.of(1));
    assert.equal(sockets[0].ops.filter((o) => o.op === 'write').length, 0, 'nothing is written on a closed link');
  });

  it('refuses a write type the characteristic lacks, like Chrome', async () => {
    const { bluetooth } = setUp();
    const device = await requestImplant(bluetooth);
    const server = await device.gatt!.connect();
    const service = await server.getPrimaryService(IMPLANT_SERVICE);
    const control = await service.getCharacteristic(IMPLANT_GATT.control.toLowerCase());
    const ota = await service.getCharacteristic(IMPLANT_GATT.otaData.toLowerCase());
    await rejectsNamed(control.writeValueWithoutResponse(Uint8Array.of(1)), 'NotSupportedError');
    await rejectsNamed(ota.writeValueWithResponse(Uint8Array.of(1)), 'NotSupportedError');
    await rejectsNamed(control.startNotifications(), 'NotSupportedError');
    await rejectsNamed(service.getCharacteristic('00002a00-0000-1000-8000-00805f9b34fb'), 'NotFoundError');
  });

  it('waits for the board to let the last central go before connecting again', async () => {
    let refusals = 1;
    const opened: ScriptedBridge[] = [];
    const bluetooth = new BridgeBluetooth('ws://127.0.0.1:1/bridge', () => {
      const s = new ScriptedBridge(247);
      opened.push(s);
      // The first attempt after a disconnect: the upgrade succeeds, then the bridge closes 1013.
      if (refusals-- > 0) queueMicrotask(() => queueMicrotask(() => s.emit('close', { code: 1013, reason: 'one central at a time' })));
      return s;
    });
    const device = await requestImplant(bluetooth);
    await device.gatt!.connect();
    assert.equal(device.gatt!.connected, true);
    assert.equal(opened.length, 2, 'retried once');
  });

  it('reports the bridge refusing a second central as a NetworkError with its reason', async () => {
    const bluetooth = new BridgeBluetooth('ws://127.0.0.1:1/bridge', () => new ScriptedBridge(247, { code: 1013, reason: 'another central is connected' }));
    const device = await requestImplant(bluetooth);
    await assert.rejects(device.gatt!.connect(), (e: Error) => e.name === 'NetworkError' && /another central/.test(e.message));
  });
});
