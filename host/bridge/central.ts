// The bridge's central inside the simulated board: each GATT operation from the socket becomes
// the same call a phone's stack makes on the simulated air (host/ble/radio.ts), so the firmware's
// GATT adapter, its radio-level admission and the secure channel behind it run as shipped.
// One central at a time, as on the board (max_connections 1).
import { AttError, bleRadio, SimulatedCentral } from '../ble/radio.js';
import type { Characteristic } from '../ble/radio.js';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { fullUuid } from './protocol.js';
import type { GattEvent, GattRequest, ServiceInfo } from './protocol.js';

/** The bridge's property names for the bleservices ones (Web Bluetooth's spelling). */
const PROPERTY: Readonly<Record<string, string>> = Object.freeze({
  read: 'read', write: 'write', writeNoResponse: 'writeWithoutResponse', notify: 'notify', indicate: 'indicate',
});

/** A refused operation: answered {ok:false, error}, the link unchanged. */
export class GattRefusal extends Error {}

export class BridgeCentral {
  private central: SimulatedCentral | undefined;
  private closing = false;

  constructor(private readonly emit: (event: GattEvent) => void) {}

  /** Runs one request; returns the reply's fields or throws GattRefusal / AttError. */
  run(request: GattRequest): Record<string, unknown> {
    if (request.op === 'scan') return { advertisers: scan() };
    if (request.op === 'connect') return this.connect(request.address);
    const central = this.central;
    if (!central?.connected) throw new GattRefusal('not connected');
    switch (request.op) {
      case 'mtu':
        return { mtu: central.exchangeMtu(request.mtu) };
      case 'discover':
        return { services: discover() };
      case 'read':
        return { value: toHex(central.read(this.find(request).uuid)) };
      case 'write':
        central.write(this.find(request).uuid, fromHex(request.value), { withoutResponse: !request.withResponse });
        return {};
      case 'subscribe':
        central.enableNotifications(this.find(request).uuid);
        return {};
      case 'unsubscribe':
        central.disableNotifications(this.find(request).uuid);
        return {};
      case 'disconnect':
        this.closing = true;
        central.disconnect();
        return {};
    }
  }

  private connect(address: string | undefined): Record<string, unknown> {
    if (this.central?.connected) throw new GattRefusal('already connected');
    const central = new SimulatedCentral(bleRadio());
    const peer = central.scan()?.address;
    try {
      if (address === undefined) central.connect();
      else central.connectTo(fromHex(address));
    } catch {
      // Not advertising connectably (locked out, energy bucket empty, not started) or filtered.
      throw new GattRefusal('not connectable');
    }
    this.central = central;
    this.closing = false;
    central.onNotification = (n) => {
      const c = bleRadio().characteristic(n.uuid);
      this.emit({ event: 'notification', service: fullUuid(c.serviceUuid), characteristic: fullUuid(c.uuid), value: toHex(n.value) });
    };
    central.onDisconnected = () => {
      if (this.central !== central) return;
      this.emit({ event: 'disconnected', reason: this.closing ? 'central disconnected' : 'peripheral disconnected' });
    };
    return { mtu: central.mtu, address: toHex(peer!) };
  }

  private find(request: { service: string; characteristic: string }): Characteristic {
    const c = bleRadio().characteristics.find((x) => fullUuid(x.uuid) === request.characteristic && fullUuid(x.serviceUuid) === request.service);
    if (!c) throw new AttError('attribute-not-found');
    return c;
  }
}

/** Every advertiser on the simulated air, as a scan reports it: address (least significant byte first) and advertising data. */
function scan(): { address: string; data: string }[] {
  return new SimulatedCentral(bleRadio()).scanAll().map((a) => ({ address: toHex(a.address), data: toHex(a.advertising.data) }));
}

/** The deployed GATT table, as a central's discovery sees it. */
function discover(): ServiceInfo[] {
  const services = new Map<string, ServiceInfo>();
  for (const c of bleRadio().characteristics) {
    const uuid = fullUuid(c.serviceUuid);
    let service = services.get(uuid);
    if (!service) services.set(uuid, (service = { uuid, characteristics: [] }));
    service.characteristics.push({ uuid: fullUuid(c.uuid), properties: c.properties.map((p) => PROPERTY[p] ?? p) });
  }
  return [...services.values()];
}
