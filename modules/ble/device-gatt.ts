// The implant's GATT server (a Moddable BLEServer subclass): advertises connectably with no
// identifying data exactly while the channel gate would admit a connection (lockout and the
// energy bucket silence the radio), charges each connection to the gate before any message, serves the device-information characteristic, and carries the secure
// channel's fragments over the control (write), OTA data (write without response) and response
// (notify) characteristics. Security lives in the channel; link encryption is requested on every
// connection as defence in depth (Just Works is all an implant without I/O can get). Right after
// the SDK's server initialised the stack it gives it the device's IRK (device-privacy.ts), before
// the ready event and the first advertisement: from then on the stack advertises with resolvable
// private addresses it renews itself, through every stop and start of advertising here. NimBLE
// (ESP32) stops advertising at each renewal without telling the SDK's server, so the recheck
// starts it again.
// @req SEC-03 (docs/traceability.md)
import BLEServer from 'bleserver';
import { Bytes } from 'btutils';
import GAP from 'gap';
import type { TimerHandle } from '../core/clock.js';
import { DeviceConnection } from '../channel/connection.js';
import { Status } from '../channel/status.js';
import { encodeDeviceInfo } from './device-info.js';
import type { ImplantGattOptions } from './gatt-options.js';
import { ADVERTISING_FLAGS, DEVICE_NAME, IMPLANT_GATT } from './gatt-layout.js';
import { privacyState, requestPrivacy, stackStoppedAdvertising } from './device-privacy.js';
import { ROTATION_S } from './privacy.js';

/** While not connected, how often to ask the gate again (presence, a lockout's end or a refill open it; a lockout can close it). */
export const ADMISSION_RECHECK_MS = 1000;

interface NotifyTarget {
  uuid: ArrayBuffer;
  handle: number;
  name: string;
  type: string;
  notify: boolean;
}

export class ImplantGattServer extends BLEServer {
  private connection: DeviceConnection | undefined;
  private response: NotifyTarget | undefined;
  private sessions = 0;
  private recheck: TimerHandle | undefined;
  /** What the radio does while no central is connected ('connected' until the first check). */
  private air: 'advertising' | 'silent' | 'connected' = 'connected';
  /** Notifications dropped because the central had not subscribed to the response characteristic. */
  droppedNotifications = 0;

  constructor(private readonly options: ImplantGattOptions) {
    super();
    // Before the ready event: NimBLE's server picks its advertising address type there (privacy-esp32.c).
    if (options.privacy) requestPrivacy(options.privacy.irk, ROTATION_S);
  }

  override onReady(): void {
    this.deviceName = DEVICE_NAME;
    this.securityParameters = { encryption: true, bonding: false, mitm: false };
    const { privacy } = this.options;
    if (privacy) {
      const { state, code } = privacyState();
      privacy.state = state;
      this.options.onPrivacy?.(state, code);
    }
    this.updateAdvertising();
  }

  /** Advertises while the gate says connectable, stops while it does not (no radio time for floods). */
  private updateAdvertising(): void {
    this.options.clock.clearTimeout(this.recheck);
    this.recheck = this.options.clock.setTimeout(() => this.updateAdvertising(), ADMISSION_RECHECK_MS);
    const air = this.options.gate.connectable() ? 'advertising' : 'silent';
    if (air === this.air) {
      if (air === 'advertising' && stackStoppedAdvertising()) this.restartAdvertising();
      return;
    }
    const wasAdvertising = this.air === 'advertising';
    this.air = air;
    if (air === 'silent') {
      if (wasAdvertising) this.stopAdvertising();
      this.options.onLink?.('silent');
      return;
    }
    this.advertise();
    this.options.onLink?.('advertising');
  }

  /** The stack stopped advertising by itself (NimBLE renewing its address); same advertisement, now with the new address. */
  private restartAdvertising(): void {
    this.stopAdvertising();
    this.advertise();
  }

  private advertise(): void {
    // Flags 6 (general discoverable, no BR/EDR) make it connectable; the default 0x04 would not.
    // Only the service UUID is advertised: the same for every implant, so it tracks no one.
    this.startAdvertising({
      advertisingData: { flags: ADVERTISING_FLAGS, completeUUID128List: [new Bytes(IMPLANT_GATT.service.replaceAll('-', ''), true)] },
      filterPolicy: GAP.AdvFilterPolicy.NONE,
    });
  }

  override onConnected(): void {
    // The stack stops advertising on a connection; nothing to recheck until it ends.
    this.air = 'connected';
    this.options.clock.clearTimeout(this.recheck);
    this.recheck = undefined;
    if (this.options.gate.admitConnection() !== Status.OK) {
      this.disconnect(); // refused before it can send anything: no reassembly, no crypto
      return;
    }
    this.connection?.close();
    this.response = undefined;
    this.connection = new DeviceConnection({
      ...this.options,
      sessionId: ++this.sessions,
      notify: (fragment) => this.send(fragment),
      disconnect: () => this.disconnect(),
    });
    this.options.onLink?.('connected');
  }

  override onDisconnected(): void {
    if (this.connection) this.options.onLink?.('disconnected');
    this.connection?.close();
    this.connection = undefined;
    this.response = undefined;
    this.updateAdvertising();
  }

  override onMTUExchanged(mtu: number): void {
    if (this.connection) this.connection.mtu = mtu;
  }

  override onCharacteristicNotifyEnabled(characteristic: NotifyTarget): void {
    if (characteristic.name === 'response') this.response = characteristic;
  }

  override onCharacteristicNotifyDisabled(characteristic: NotifyTarget): void {
    if (characteristic.name === 'response') this.response = undefined;
  }

  override onCharacteristicWritten(characteristic: { name: string }, value: unknown): void {
    if (!this.connection || !(value instanceof ArrayBuffer)) return;
    if (characteristic.name === 'control') this.connection.receiveFragment(new Uint8Array(value), 0);
    else if (characteristic.name === 'otaData') this.connection.receiveFragment(new Uint8Array(value), 1);
  }

  override onCharacteristicRead(characteristic: { name: string }): unknown {
    if (characteristic.name !== 'deviceInfo') return new ArrayBuffer(0);
    return exactBuffer(encodeDeviceInfo(this.options.deviceInfo()));
  }

  private send(fragment: Uint8Array): void {
    if (!this.response) {
      this.droppedNotifications++;
      return;
    }
    this.notifyValue(this.response, exactBuffer(fragment));
  }
}

/** The stack sends a value's whole ArrayBuffer, so hand it one of exactly the right size. */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}
