// A navigator.bluetooth-shaped object over the simulator's WebSocket bridge (`/bridge`, bridge
// protocol v1, docs/webapp.md): one simulated implant that advertises the implant service. Each
// GATT connection is one socket; requests carry an id and are answered in kind; notifications and
// link loss arrive as events. It behaves like Chrome where the transport could notice: filters
// must name the service, UUIDs are compared in lower case, a write type the characteristic lacks
// is NotSupportedError, a call on a dropped link is NetworkError.
import { fromHex, toHex } from '../../../modules/core/bytes.js';
import { IMPLANT_SERVICE } from './gatt-link.js';
import { bluetoothUuid } from './web-bluetooth.js';
import type { BluetoothDeviceLike, BluetoothLike, GattCharacteristicLike, GattServerLike, GattServiceLike, RequestDeviceOptions } from './web-bluetooth.js';

/** The subset of the browser's WebSocket the adapter uses (tests pass their own). */
export interface BridgeSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: { data?: unknown; code?: number; reason?: string }) => void): void;
}

export type SocketFactory = (url: string) => BridgeSocket;

type Reply = Record<string, unknown> & { id: number; ok: boolean; error?: string };

/** How long connect() waits for a device that is not connectable yet. */
const CONNECT_WAIT_MS = 5000;

/** The MTU the adapter asks for; the simulated implant answers with what its stack allows. */
export const REQUESTED_MTU = 517;

class BridgeConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();
  private open = true;
  /** Settles when the socket has really closed: the bridge admits the next central only then. */
  readonly gone: Promise<void>;

  private constructor(private readonly socket: BridgeSocket, private readonly onEvent: (event: Record<string, unknown>) => void, private readonly onClose: (reason: string) => void) {
    socket.addEventListener('message', (event) => this.receive(event.data));
    this.gone = new Promise((resolve) => {
      socket.addEventListener('close', (event) => {
        this.closed(event.reason || `socket closed (${event.code ?? 'no code'})`);
        resolve();
      });
    });
  }

  static connect(openSocket: SocketFactory, url: string, onEvent: (event: Record<string, unknown>) => void, onClose: (reason: string) => void): Promise<BridgeConnection> {
    return new Promise((resolve, reject) => {
      const socket = openSocket(url);
      let settled = false;
      socket.addEventListener('open', () => {
        settled = true;
        resolve(new BridgeConnection(socket, onEvent, onClose));
      });
      socket.addEventListener('close', (event) => {
        if (!settled) reject(new DOMException(`bridge refused the connection: ${event.reason || event.code}`, 'NetworkError'));
        settled = true;
      });
    });
  }

  request(op: string, fields: Record<string, unknown> = {}): Promise<Reply> {
    if (!this.open) return Promise.reject(new DOMException('GATT Server is disconnected.', 'NetworkError'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, op, ...fields }));
    }).then((reply) => {
      const r = reply as Reply;
      if (!r.ok) throw new DOMException(`${op}: ${r.error ?? 'refused'}`, 'NetworkError');
      return r;
    });
  }

  close(): void {
    if (!this.open) return;
    try {
      this.socket.send(JSON.stringify({ id: this.nextId++, op: 'disconnect' }));
    } finally {
      this.socket.close(1000, 'central disconnected');
      this.closed('central disconnected');
    }
  }

  private receive(data: unknown): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(String(data)) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof message.event === 'string') {
      this.onEvent(message);
      return;
    }
    const waiter = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!waiter) return;
    this.pending.delete(message.id as number);
    waiter.resolve(message as Reply);
  }

  private closed(reason: string): void {
    if (!this.open) return;
    this.open = false;
    for (const waiter of this.pending.values()) waiter.reject(new DOMException(`GATT Server is disconnected (${reason}).`, 'NetworkError'));
    this.pending.clear();
    this.onClose(reason);
  }
}

class BridgeCharacteristic extends EventTarget implements GattCharacteristicLike {
  value: DataView | null = null;

  constructor(private readonly server: BridgeGattServer, readonly service: string, readonly uuid: string, readonly properties: readonly string[]) {
    super();
  }

  async readValue(): Promise<DataView> {
    this.need('read');
    const reply = await this.server.call('read', this.address());
    const bytes = fromHex(String(reply.value ?? ''));
    this.value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.value;
  }

  writeValueWithResponse(value: Uint8Array): Promise<void> {
    return this.write(value, true);
  }

  writeValueWithoutResponse(value: Uint8Array): Promise<void> {
    return this.write(value, false);
  }

  async startNotifications(): Promise<GattCharacteristicLike> {
    if (!this.properties.includes('notify') && !this.properties.includes('indicate')) throw new DOMException('GATT operation not permitted.', 'NotSupportedError');
    await this.server.call('subscribe', this.address());
    return this;
  }

  /** A notification from the bridge. */
  notify(hex: string): void {
    const bytes = fromHex(hex);
    this.value = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.dispatchEvent(new Event('characteristicvaluechanged'));
  }

  private async write(value: Uint8Array, withResponse: boolean): Promise<void> {
    this.need(withResponse ? 'write' : 'writeWithoutResponse');
    const sent = this.server.call('write', { ...this.address(), value: toHex(value), withResponse });
    // Without response there is no ATT acknowledgement to wait for: queued is done, as in Chrome.
    if (withResponse) await sent;
    else sent.catch(() => undefined);
  }

  private need(property: string): void {
    if (!this.properties.includes(property)) throw new DOMException('GATT operation not permitted.', 'NotSupportedError');
  }

  private address() {
    return { service: this.service, characteristic: this.uuid };
  }
}

class BridgeService implements GattServiceLike {
  constructor(readonly uuid: string, private readonly characteristics: Map<string, BridgeCharacteristic>) {}

  async getCharacteristic(uuid: string): Promise<BridgeCharacteristic> {
    const found = this.characteristics.get(bluetoothUuid(uuid));
    if (!found) throw new DOMException(`No Characteristics matching UUID ${uuid} found in Service.`, 'NotFoundError');
    return found;
  }

  all(): Iterable<BridgeCharacteristic> {
    return this.characteristics.values();
  }
}

class BridgeGattServer implements GattServerLike {
  connected = false;
  /** The negotiated ATT MTU (Web Bluetooth itself does not expose it). */
  mtu = 23;
  private connection: BridgeConnection | undefined;
  private services = new Map<string, BridgeService>();
  /** The last socket's closing (bounded: a socket that never reports it does not block for long). */
  private previous: Promise<unknown> = Promise.resolve();

  constructor(private readonly device: BridgeDevice, private readonly url: string, private readonly openSocket: SocketFactory) {}

  /** Like Chrome's connect, waits a little for a device that is not advertising yet (just disconnected, booting). */
  async connect(): Promise<GattServerLike> {
    for (const end = Date.now() + CONNECT_WAIT_MS; ;) {
      try {
        return await this.attempt();
      } catch (error) {
        // The bridge lets the next central in once the simulated board has seen the last one leave.
        if (!/not connectable|one central at a time/.test((error as Error).message) || Date.now() > end) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private async attempt(): Promise<GattServerLike> {
    if (this.connected) return this;
    await this.previous;
    const connection = await BridgeConnection.connect(this.openSocket, this.url, (event) => this.event(event), () => this.lost(connection));
    this.connection = connection;
    this.previous = Promise.race([connection.gone, new Promise((r) => setTimeout(r, 2000))]);
    try {
      await connection.request('connect');
      this.mtu = Number((await connection.request('mtu', { mtu: REQUESTED_MTU })).mtu);
      const discovered = (await connection.request('discover')).services as { uuid: string; characteristics: { uuid: string; properties: string[] }[] }[];
      this.services = new Map(discovered.map((s) => {
        const uuid = bluetoothUuid(s.uuid);
        const chars = new Map(s.characteristics.map((c) => [bluetoothUuid(c.uuid), new BridgeCharacteristic(this, s.uuid, bluetoothUuid(c.uuid), c.properties)]));
        return [uuid, new BridgeService(uuid, chars)];
      }));
    } catch (error) {
      connection.close();
      throw error;
    }
    this.connected = true;
    return this;
  }

  disconnect(): void {
    this.connection?.close();
  }

  async getPrimaryService(uuid: string): Promise<GattServiceLike> {
    if (!this.connected) throw new DOMException('GATT Server is disconnected.', 'NetworkError');
    const found = this.services.get(bluetoothUuid(uuid));
    if (!found) throw new DOMException(`No Services matching UUID ${uuid} found in Device.`, 'NotFoundError');
    return found;
  }

  call(op: string, fields: Record<string, unknown>): Promise<Reply> {
    if (!this.connected || !this.connection) return Promise.reject(new DOMException('GATT Server is disconnected.', 'NetworkError'));
    return this.connection.request(op, fields);
  }

  private event(event: Record<string, unknown>): void {
    if (event.event === 'disconnected') {
      this.connection?.close();
      return;
    }
    if (event.event !== 'notification') return;
    const service = this.services.get(bluetoothUuid(String(event.service)));
    for (const c of service?.all() ?? []) if (c.uuid === bluetoothUuid(String(event.characteristic))) c.notify(String(event.value));
  }

  private lost(connection: BridgeConnection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    const was = this.connected;
    this.connected = false;
    if (was) this.device.dispatchEvent(new Event('gattserverdisconnected'));
  }
}

class BridgeDevice extends EventTarget implements BluetoothDeviceLike {
  readonly id = 'simulator';
  readonly name = 'Implant';
  readonly gatt: BridgeGattServer;

  constructor(url: string, openSocket: SocketFactory) {
    super();
    this.gatt = new BridgeGattServer(this, url, openSocket);
  }
}

export class BridgeBluetooth implements BluetoothLike {
  private readonly device: BridgeDevice;

  /** `url`: the bridge's WebSocket address, e.g. ws://127.0.0.1:8080/bridge. */
  constructor(url: string, openSocket: SocketFactory = (u) => new WebSocket(u) as unknown as BridgeSocket) {
    this.device = new BridgeDevice(url, openSocket);
  }

  /** The simulated implant advertises only the implant service: filters must ask for it. */
  async requestDevice(options: RequestDeviceOptions): Promise<BluetoothDeviceLike> {
    const filters = options.filters ?? [];
    if (!options.acceptAllDevices && filters.length === 0) throw new TypeError("Either 'filters' should be present or 'acceptAllDevices' should be true, but not both.");
    for (const f of filters) for (const s of f.services ?? []) if (s !== s.toLowerCase()) throw new TypeError(`Invalid Service name: '${s}'.`);
    const matches = options.acceptAllDevices === true || filters.some((f) => (f.services ?? []).includes(IMPLANT_SERVICE)
      && (f.name === undefined || f.name === this.device.name) && (f.namePrefix === undefined || this.device.name.startsWith(f.namePrefix)));
    if (!matches) throw new DOMException('User cancelled the requestDevice() chooser.', 'NotFoundError');
    return this.device;
  }

  /** The negotiated MTU of the current or last connection. */
  get mtu(): number {
    return this.device.gatt.mtu;
  }
}
