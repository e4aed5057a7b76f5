// The part of the Web Bluetooth API (webbluetoothcg.github.io/web-bluetooth) the programmer uses.
// navigator.bluetooth satisfies it in a browser; the simulator's bridge adapter implements the
// same shape, so the one transport in gatt-link.ts runs unchanged against both.

export interface BluetoothLEScanFilter {
  readonly services?: readonly string[];
  readonly name?: string;
  readonly namePrefix?: string;
}

export interface RequestDeviceOptions {
  readonly filters?: readonly BluetoothLEScanFilter[];
  readonly optionalServices?: readonly string[];
  readonly acceptAllDevices?: boolean;
}

export interface BluetoothLike {
  requestDevice(options: RequestDeviceOptions): Promise<BluetoothDeviceLike>;
}

/** Fires 'gattserverdisconnected' when the link drops. */
export interface BluetoothDeviceLike extends EventTarget {
  readonly id: string;
  readonly name?: string | null;
  readonly gatt?: GattServerLike | null;
}

export interface GattServerLike {
  readonly connected: boolean;
  connect(): Promise<GattServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<GattServiceLike>;
}

export interface GattServiceLike {
  getCharacteristic(uuid: string): Promise<GattCharacteristicLike>;
}

/** Fires 'characteristicvaluechanged' with the new bytes in `value`. */
export interface GattCharacteristicLike extends EventTarget {
  readonly value?: DataView | null;
  readValue(): Promise<DataView>;
  writeValueWithResponse(value: Uint8Array): Promise<void>;
  writeValueWithoutResponse(value: Uint8Array): Promise<void>;
  startNotifications(): Promise<GattCharacteristicLike>;
}

/** Web Bluetooth compares UUID strings in lower case (and rejects upper case in filters). */
export function bluetoothUuid(uuid: string): string {
  return uuid.toLowerCase();
}
