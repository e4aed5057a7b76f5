// Replaces the SDK 8.2 typings of "bleserver" (typings/ble/bleserver.d.ts, excluded in
// manifest.json), which type the server callbacks with the GATT client's Characteristic and
// omit half the API. Written from the implementation, modules/network/ble/bleserver.js and the
// ports' modBLEServer.c; host/shims/bleserver.ts has the same shape for the host.
declare module "bleserver" {
  import type { Bytes } from "btutils";

  /** What onCharacteristicWritten and onCharacteristicRead receive (name and type from the GATT JSON). */
  export interface CharacteristicInfo {
    uuid: Bytes;
    handle: number;
    name: string;
    type: string;
  }

  /** The raw object of onCharacteristicNotifyEnabled/Disabled; pass it back to notifyValue. */
  export interface NotifyCharacteristic {
    uuid: ArrayBuffer;
    handle: number;
    name: string;
    type: string;
    /** true: the client enabled notifications; false: indications. */
    notify: boolean;
  }

  export interface AdvertisingData {
    /** 6 (general discoverable, no BR/EDR) makes advertising connectable; the default 4 does not. */
    flags?: number;
    completeName?: string;
    shortName?: string;
    completeUUID16List?: ArrayBuffer[];
    incompleteUUID16List?: ArrayBuffer[];
    completeUUID128List?: ArrayBuffer[];
    incompleteUUID128List?: ArrayBuffer[];
    manufacturerSpecific?: { identifier: number; data?: number[] | Uint8Array };
    txPowerLevel?: number;
    appearance?: number;
  }

  export interface StartAdvertisingParams {
    advertisingData: AdvertisingData;
    scanResponseData?: AdvertisingData | null;
    fast?: boolean;
    filterPolicy?: number;
    /** In 0.625 ms units. */
    interval?: { min: number; max: number };
    /** nRF52 only: call onAdvertisementSent after each advertisement. */
    notify?: boolean;
  }

  export interface SecurityParameters {
    encryption?: boolean;
    bonding?: boolean;
    mitm?: boolean;
    ioCapability?: number;
  }

  export interface Device {
    address: Bytes;
    addressType: number;
    connection: number;
  }

  export class BLEServer {
    constructor(options?: { deployServices?: boolean });
    get deviceName(): string;
    set deviceName(name: string);
    get localAddress(): Bytes;
    set securityParameters(params: SecurityParameters);

    startAdvertising(params: StartAdvertisingParams): void;
    stopAdvertising(): void;
    notifyValue(characteristic: NotifyCharacteristic, value: unknown): void;
    disconnect(): void;
    close(): void;
    passkeyInput(address: ArrayBuffer, passkey: number): void;
    passkeyReply(address: ArrayBuffer, confirm: boolean): void;
    getServiceAttributes(uuid: ArrayBuffer): { uuid: Bytes; handle: number; name: string; type?: string; value?: unknown }[];

    onReady(): void;
    onConnected(device: Device): void;
    onDisconnected(device: Device): void;
    onCharacteristicWritten(characteristic: CharacteristicInfo, value: unknown): void;
    onCharacteristicRead(characteristic: CharacteristicInfo): unknown;
    onCharacteristicNotifyEnabled(characteristic: NotifyCharacteristic): void;
    onCharacteristicNotifyDisabled(characteristic: NotifyCharacteristic): void;
    onMTUExchanged(mtu: number): void;
    onAuthenticated(params?: { bonded: boolean }): void;
    onPasskeyConfirm(params: { address: Bytes; passkey: number }): void;
    onPasskeyDisplay(params: { address: Bytes; passkey: number }): void;
    onPasskeyInput(params: { address: Bytes }): void;
    onPasskeyRequested(params: { address: Bytes }): number;
    onBondingDeleted(params: { address: Bytes; addressType: number }): void;
    onAdvertisementSent(): void;
  }

  export default BLEServer;
}
