// THE BLE transport of the web app, written against the Web Bluetooth API only: it finds the
// implant by its service UUID, subscribes to the response characteristic before the first write
// (docs/protocol.md §1, "Order of operations"), writes channel fragments to control (with
// response) and bulk fragments to otaData (without response), and reports a lost link. It is a
// FragmentLink, so the portable ProgrammerClient runs over it unchanged.
import { decodeDeviceInfo } from '../../../modules/ble/device-info.js';
import type { DeviceInfo } from '../../../modules/ble/device-info.js';
import { IMPLANT_GATT } from '../../../modules/ble/gatt-layout.js';
import type { FragmentLink } from '../../../programmer/client.js';
import { bluetoothUuid } from './web-bluetooth.js';
import type { BluetoothDeviceLike, BluetoothLike, GattCharacteristicLike } from './web-bluetooth.js';

/** The smallest ATT MTU (Core spec Vol 3 Part F §3.2.8): safe when the platform cannot say. */
export const DEFAULT_MTU = 23;

export const IMPLANT_SERVICE = bluetoothUuid(IMPLANT_GATT.service);

/** Opens the browser's device chooser, showing only devices that advertise the implant service. */
export function requestImplant(bluetooth: BluetoothLike): Promise<BluetoothDeviceLike> {
  return bluetooth.requestDevice({ filters: [{ services: [IMPLANT_SERVICE] }] });
}

export interface GattLinkOptions {
  /**
   * The link's ATT MTU, asked once connected. Web Bluetooth has no call to read it
   * (WebBluetoothCG/web-bluetooth#383), so a caller that knows it (the simulator bridge) says;
   * otherwise fragments fit MTU 23.
   */
  readonly mtu?: () => number;
}

export class GattLink implements FragmentLink {
  private queue: Promise<void> = Promise.resolve();
  private onFragment: ((fragment: Uint8Array) => void) | undefined;
  private onClosed: (() => void) | undefined;
  private closed = false;
  /** Bytes written so far, per write type (for progress and tests). */
  readonly written = { withResponse: 0, withoutResponse: 0 };

  private constructor(
    readonly device: BluetoothDeviceLike,
    readonly mtu: number,
    private readonly chars: { deviceInfo: GattCharacteristicLike; control: GattCharacteristicLike; response: GattCharacteristicLike; otaData: GattCharacteristicLike },
  ) {
    chars.response.addEventListener('characteristicvaluechanged', this.notified);
    device.addEventListener('gattserverdisconnected', this.disconnected);
  }

  /** Connects, discovers the implant service and subscribes to responses. */
  static async open(device: BluetoothDeviceLike, options: GattLinkOptions = {}): Promise<GattLink> {
    if (!device.gatt) throw new Error('this Bluetooth device has no GATT server');
    const server = await device.gatt.connect();
    const service = await server.getPrimaryService(IMPLANT_SERVICE);
    const get = (uuid: string) => service.getCharacteristic(bluetoothUuid(uuid));
    const [deviceInfo, control, response, otaData] = await Promise.all([
      get(IMPLANT_GATT.deviceInfo), get(IMPLANT_GATT.control), get(IMPLANT_GATT.response), get(IMPLANT_GATT.otaData),
    ]);
    const link = new GattLink(device, options.mtu?.() ?? DEFAULT_MTU, { deviceInfo, control, response, otaData });
    try {
      await response.startNotifications();
    } catch (error) {
      link.close();
      throw error;
    }
    return link;
  }

  async readDeviceInfo(): Promise<DeviceInfo> {
    const view = await this.chars.deviceInfo.readValue();
    const info = decodeDeviceInfo(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    if (!info) throw new Error('the device information is not in the implant format');
    return info;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  write(fragment: Uint8Array): void {
    this.enqueue(() => this.chars.control.writeValueWithResponse(fragment), 'withResponse', fragment.length);
  }

  writeBulk(fragment: Uint8Array): void {
    this.enqueue(() => this.chars.otaData.writeValueWithoutResponse(fragment), 'withoutResponse', fragment.length);
  }

  listen(onFragment: (fragment: Uint8Array) => void, onClosed: () => void): void {
    this.onFragment = onFragment;
    this.onClosed = onClosed;
  }

  /** Drops the connection (the device ends the session on link loss). */
  close(): void {
    if (this.closed) return;
    this.finish();
    this.device.gatt?.disconnect();
  }

  // Web Bluetooth allows one GATT operation at a time: writes go out in order, one after another.
  private enqueue(op: () => Promise<void>, kind: 'withResponse' | 'withoutResponse', bytes: number): void {
    if (this.closed) return;
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      try {
        await op();
        this.written[kind] += bytes;
      } catch {
        this.close();
      }
    });
  }

  private readonly notified = (event: Event): void => {
    const value = (event.target as GattCharacteristicLike).value;
    if (!value || this.closed) return;
    this.onFragment?.(new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength)));
  };

  private readonly disconnected = (): void => {
    if (!this.closed) this.finish();
  };

  private finish(): void {
    this.closed = true;
    this.chars.response.removeEventListener('characteristicvaluechanged', this.notified);
    this.device.removeEventListener('gattserverdisconnected', this.disconnected);
    this.onClosed?.();
  }
}
