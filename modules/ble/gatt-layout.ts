// The implant's GATT layout as the portable code (programmer, tests) sees it. The device build
// takes the same UUIDs from bleservices/implant.json; a test checks that both agree.

export const IMPLANT_GATT = Object.freeze({
  service: '7E5A0001-4C1B-4E8B-9D3A-2F6C1B0E9A51',
  /** Read without a session: DeviceInfo (CBOR), nothing that identifies the patient or the unit. */
  deviceInfo: '7E5A0002-4C1B-4E8B-9D3A-2F6C1B0E9A51',
  /** Write (with response): channel fragments from the programmer. */
  control: '7E5A0003-4C1B-4E8B-9D3A-2F6C1B0E9A51',
  /** Notify: channel fragments from the device. */
  response: '7E5A0004-4C1B-4E8B-9D3A-2F6C1B0E9A51',
  /** Write without response: channel fragments of bulk (update) messages. */
  otaData: '7E5A0005-4C1B-4E8B-9D3A-2F6C1B0E9A51',
});

/** Advertising flags: LE General Discoverable | BR/EDR not supported (connectable; Moddable's default 0x04 is not). */
export const ADVERTISING_FLAGS = 6;
/** GAP device name: the same on every unit, so it identifies nothing. */
export const DEVICE_NAME = 'Implant';
