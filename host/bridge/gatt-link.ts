// The programmer's FragmentLink (programmer/client.ts) over bridge GATT operations, as a phone
// drives the implant's GATT service: connect, exchange the MTU, discover, subscribe to the
// response characteristic, write fragments to control (with response) and bulk fragments to
// otaData (without response). Used by the CLI over the /bridge socket and by the simulator's own
// factory step; the web app has its own Web Bluetooth transport doing the same.
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import type { FragmentLink } from '../../programmer/client.js';
import { fullUuid } from './protocol.js';
import type { GattEvent, GattRequest, ServiceInfo } from './protocol.js';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type GattCall = WithoutId<GattRequest>;

/** Something that runs bridge GATT operations (a /bridge socket, or the simulator in-process). */
export interface GattPort {
  /** Resolves with the reply's fields; rejects with BridgeError when the answer is ok:false. */
  call(request: GattCall): Promise<Record<string, unknown>>;
  /** Installs the listener for notifications and the loss of the link. */
  onEvent(listener: (event: GattEvent) => void): void;
}

export class BridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

const SERVICE = fullUuid(IMPLANT_GATT.service);
const uuid = (name: 'control' | 'response' | 'otaData') => fullUuid(IMPLANT_GATT[name]);

/** A phone's largest ATT MTU; the device's stack caps it (NimBLE 256, nRF52 247). */
export const PHONE_MTU = 517;

export class GattLink implements FragmentLink {
  private onFragment: ((fragment: Uint8Array) => void) | undefined;
  private onClosed: (() => void) | undefined;
  private open = true;

  private constructor(private readonly port: GattPort, readonly mtu: number, readonly address: Uint8Array) {
    port.onEvent((event) => {
      if (event.event === 'notification' && event.characteristic === uuid('response')) this.onFragment?.(fromHex(event.value));
      else if (event.event === 'disconnected') this.closed();
    });
  }

  /**
   * Connects (to the advertiser at `address` if given: one a scan showed), negotiates the MTU,
   * checks the implant service is there and subscribes to its responses.
   */
  static async open(port: GattPort, clientMtu = PHONE_MTU, address?: Uint8Array): Promise<GattLink> {
    const connected = await port.call(address ? { op: 'connect', address: toHex(address) } : { op: 'connect' });
    const { mtu } = await port.call({ op: 'mtu', mtu: clientMtu });
    const { services } = (await port.call({ op: 'discover' })) as { services: ServiceInfo[] };
    if (!services.some((s) => s.uuid === SERVICE)) {
      await port.call({ op: 'disconnect' });
      throw new BridgeError('the device has no implant service');
    }
    const link = new GattLink(port, mtu as number, fromHex(String(connected.address ?? '')));
    await port.call({ op: 'subscribe', service: SERVICE, characteristic: uuid('response') });
    return link;
  }

  write(fragment: Uint8Array): void {
    this.send('control', fragment, true);
  }

  writeBulk(fragment: Uint8Array): void {
    this.send('otaData', fragment, false);
  }

  listen(onFragment: (fragment: Uint8Array) => void, onClosed: () => void): void {
    this.onFragment = onFragment;
    this.onClosed = onClosed;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    await this.port.call({ op: 'disconnect' }).catch(() => {});
    this.closed();
  }

  private send(characteristic: 'control' | 'otaData', fragment: Uint8Array, withResponse: boolean): void {
    if (!this.open) return;
    // A refused write (ATT error, link gone) ends the link for the client: it fails its waiters.
    this.port.call({ op: 'write', service: SERVICE, characteristic: uuid(characteristic), value: toHex(fragment), withResponse }).catch(() => this.closed());
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.onClosed?.();
  }
}
