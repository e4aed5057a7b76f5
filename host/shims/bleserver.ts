// Host shim of Moddable "bleserver" (modules/network/ble/bleserver.js and the ports' modBLEServer.c)
// over the simulated radio in host/ble/radio.ts. Same callback names, order and value typing:
// characteristic values are converted with the characteristic's JSON `type` both ways, and
// onCharacteristicNotifyEnabled receives the raw object (uuid an ArrayBuffer, not Bytes) that
// notifyValue expects back. Subclass and override the callbacks, as on the device.
import { bleRadio } from '../ble/radio.js';
import type { ServerPort } from '../ble/radio.js';
import { Advertisement, Bytes, typedBufferToValue, typedValueToBuffer } from './btutils.js';
import type { AdvertisingData } from './btutils.js';
import GAP from './gap.js';
import { IOCapability } from './sm.js';

export interface BLEServerOptions {
  deployServices?: boolean;
}

export interface CharacteristicInfo {
  uuid: Bytes;
  handle: number;
  name: string;
  type: string;
}

/** The raw object of onCharacteristicNotifyEnabled, to pass back to notifyValue. */
export interface NotifyCharacteristic {
  uuid: ArrayBuffer;
  handle: number;
  name: string;
  type: string;
  notify: boolean;
}

export interface StartAdvertisingParams {
  advertisingData: AdvertisingData;
  scanResponseData?: AdvertisingData | null;
  fast?: boolean;
  filterPolicy?: number;
  interval?: { min: number; max: number };
  notify?: boolean;
}

export class BLEServer {
  #deviceName = '';
  readonly #port: ServerPort;

  constructor(dictionary: BLEServerOptions = {}) {
    this.#port = { dispatch: (event, params) => this.#callback(event, params) };
    bleRadio().attach(this.#port, dictionary.deployServices !== false);
  }

  get deviceName(): string {
    return this.#deviceName;
  }

  set deviceName(name: string) {
    bleRadio().requireReady();
    this.#deviceName = name;
    bleRadio().deviceName = name;
  }

  get localAddress(): Bytes {
    return new Bytes(bleRadio().localAddress.slice().buffer);
  }

  set securityParameters(params: { encryption?: boolean; bonding?: boolean; mitm?: boolean; ioCapability?: number }) {
    const { encryption = true, bonding = false, mitm = false, ioCapability = IOCapability.NoInputNoOutput } = params;
    // nRF52 forces MITM off without I/O; NimBLE keeps the flag but can only do Just Works.
    bleRadio().security = { encryption, bonding, mitm: mitm && ioCapability !== IOCapability.NoInputNoOutput, ioCapability };
  }

  startAdvertising(params: StartAdvertisingParams): void {
    const { fast = true, scanResponseData = null, filterPolicy = GAP.AdvFilterPolicy.NONE, advertisingData } = params;
    const flags = 'flags' in advertisingData ? advertisingData.flags! : GAP.ADFlag.NO_BR_EDR;
    const connectable = (flags & (GAP.ADFlag.LE_LIMITED_DISCOVERABLE_MODE | GAP.ADFlag.LE_GENERAL_DISCOVERABLE_MODE)) !== 0;
    const interval = params.interval ?? (connectable ? (fast ? GAP.ADV_FAST_INTERVAL1 : GAP.ADV_SLOW_INTERVAL) : fast ? GAP.ADV_FAST_INTERVAL2 : GAP.ADV_SLOW_INTERVAL);
    const data = new Uint8Array(Advertisement.serialize(advertisingData));
    const scanResponse = scanResponseData ? new Uint8Array(Advertisement.serialize(scanResponseData)) : undefined;
    bleRadio().startAdvertising({ connectable, flags, data, scanResponse, interval, filterPolicy });
  }

  stopAdvertising(): void {
    bleRadio().stopAdvertising();
  }

  notifyValue(characteristic: NotifyCharacteristic, value: unknown): void {
    bleRadio().notify(characteristic.handle, typedValueToBuffer(characteristic.type, value));
  }

  disconnect(): void {
    bleRadio().disconnect();
  }

  close(): void {
    bleRadio().detach(this.#port);
  }

  passkeyInput(_address: ArrayBuffer, _passkey: number): void {}
  passkeyReply(_address: ArrayBuffer, _confirm: boolean): void {}

  getServiceAttributes(uuid: ArrayBuffer): { uuid: Bytes; handle: number; name: string; type?: string; value?: unknown }[] {
    const wanted = new Bytes(uuid).toString();
    return bleRadio().characteristics
      .filter((c) => new Bytes(c.serviceUuid.replaceAll('-', ''), true).toString() === wanted)
      .map((c) => ({
        uuid: new Bytes(c.uuid.replaceAll('-', ''), true),
        handle: c.handle,
        name: c.name,
        type: c.type,
        value: c.staticValue && typedBufferToValue(c.type, c.staticValue),
      }));
  }

  onReady(): void {}
  onCharacteristicWritten(_characteristic: CharacteristicInfo, _value: unknown): void {}
  onCharacteristicRead(_characteristic: CharacteristicInfo): unknown {
    return undefined;
  }
  onCharacteristicNotifyEnabled(_characteristic: NotifyCharacteristic): void {}
  onCharacteristicNotifyDisabled(_characteristic: NotifyCharacteristic): void {}
  onConnected(_device: { address: Bytes; addressType: number; connection: number }): void {}
  onDisconnected(_device: { address: Bytes; connection: number }): void {}
  onPasskeyConfirm(_params: { address: Bytes; passkey: number }): void {}
  onPasskeyDisplay(_params: { address: Bytes; passkey: number }): void {}
  onPasskeyInput(_params: { address: Bytes }): void {}
  onPasskeyRequested(_params: { address: Bytes }): number {
    return 0;
  }
  onAuthenticated(_params?: { bonded: boolean }): void {}
  onMTUExchanged(_mtu: number): void {}
  onBondingDeleted(_params: { address: Bytes; addressType: number }): void {}

  /** The SDK's BLEServer.callback: wraps native parameters as the JS layer does. */
  #callback(event: string, p: Record<string, unknown>): unknown {
    const info = () => ({ uuid: new Bytes(p.uuid as ArrayBuffer), handle: p.handle as number, name: p.name as string, type: p.type as string });
    switch (event) {
      case 'onReady':
        return this.onReady();
      case 'onCharacteristicWritten':
        return this.onCharacteristicWritten(info(), typedBufferToValue(p.type as string, p.value as ArrayBuffer));
      case 'onCharacteristicRead':
        return typedValueToBuffer(p.type as string, this.onCharacteristicRead(info()));
      case 'onCharacteristicNotifyEnabled':
        return this.onCharacteristicNotifyEnabled(p as unknown as NotifyCharacteristic);
      case 'onCharacteristicNotifyDisabled':
        return this.onCharacteristicNotifyDisabled(p as unknown as NotifyCharacteristic);
      case 'onConnected':
        return this.onConnected({ address: new Bytes(p.address as ArrayBuffer), addressType: p.addressType as number, connection: p.connection as number });
      case 'onDisconnected':
        return this.onDisconnected({ address: new Bytes(p.address as ArrayBuffer), connection: p.connection as number });
      case 'onAuthenticated':
        return this.onAuthenticated({ bonded: p.bonded as boolean });
      case 'onMTUExchanged':
        return this.onMTUExchanged(p.mtu as number);
      default:
        throw new Error(`bleserver shim: unknown event ${event}`);
    }
  }
}

export default BLEServer;
