// The bleserver, btutils, gap and gapwhitelist shims keep the SDK behaviours the firmware relies on.
import assert from 'node:assert/strict';
import BLEServer from '../../host/shims/bleserver.js';
import type { NotifyCharacteristic } from '../../host/shims/bleserver.js';
import { address, Bytes, uuid } from '../../host/shims/btutils.js';
import GAP from '../../host/shims/gap.js';
import GAPWhitelist from '../../host/shims/gapwhitelist.js';
import { virtualHost } from '../../host/shims/host-control.js';
import { resetBleRadio, SimulatedCentral } from '../../host/ble/radio.js';

const SERVICE = {
  service: {
    uuid: '0000ABCD-0000-1000-8000-00805F9B34FB',
    characteristics: {
      text: { uuid: '0000AB01-0000-1000-8000-00805F9B34FB', type: 'String', properties: 'read,write', maxBytes: 32 },
      bytes: { uuid: '0000AB02-0000-1000-8000-00805F9B34FB', type: 'Uint8Array', properties: 'notify,write', maxBytes: 32 },
      counter: { uuid: '0000AB03-0000-1000-8000-00805F9B34FB', type: 'Uint16', properties: 'write', maxBytes: 2 },
      secret: { uuid: '0000AB04-0000-1000-8000-00805F9B34FB', type: 'ArrayBuffer', properties: 'write', permissions: 'writeEncrypted', maxBytes: 8 },
    },
  },
};

class Recorder extends BLEServer {
  readonly events: unknown[][] = [];
  notifyTarget: NotifyCharacteristic | undefined;
  override onReady() {
    this.events.push(['ready']);
  }
  override onConnected(device: { address: Bytes; addressType: number; connection: number }) {
    this.events.push(['connected', device.address.toString(), device.addressType]);
  }
  override onDisconnected() {
    this.events.push(['disconnected']);
  }
  override onMTUExchanged(mtu: number) {
    this.events.push(['mtu', mtu]);
  }
  override onCharacteristicWritten(c: { name: string }, value: unknown) {
    this.events.push(['written', c.name, value]);
  }
  override onCharacteristicRead(c: { name: string }) {
    return c.name === 'text' ? 'héllo' : undefined;
  }
  override onCharacteristicNotifyEnabled(c: NotifyCharacteristic) {
    this.notifyTarget = c;
    this.events.push(['notify', c.name, c.uuid instanceof Bytes]);
  }
}

function boot() {
  const clock = virtualHost('nrf52');
  const radio = resetBleRadio();
  radio.installServices([SERVICE]);
  const server = new Recorder();
  return { clock, radio, server };
}

describe('BLE shims', () => {
  it('reports onReady on a later turn and refuses work before it', () => {
    const { clock, server } = boot();
    assert.deepEqual(server.events, []);
    assert.throws(() => server.startAdvertising({ advertisingData: { flags: 6 } }), /not ready/);
    clock.advance(0);
    assert.deepEqual(server.events, [['ready']]);
  });

  it('advertises non-connectably with the default flags, as the SDK does', () => {
    const { clock, radio, server } = boot();
    clock.advance(0);
    server.startAdvertising({ advertisingData: { completeName: 'x' } });
    assert.equal(radio.advertising!.connectable, false);
    assert.deepEqual(radio.advertising!.interval, GAP.ADV_FAST_INTERVAL2);
    assert.throws(() => new SimulatedCentral(radio).connect(), /no connectable advertiser/);
    server.startAdvertising({ advertisingData: { flags: 6, completeName: 'x' } });
    assert.equal(radio.advertising!.connectable, true);
    assert.throws(() => server.startAdvertising({ advertisingData: { flags: 6, completeName: 'x'.repeat(30) } }), /maximum length/);
  });

  it('converts values by characteristic type and sends a typed array’s whole buffer', () => {
    const { clock, radio, server } = boot();
    clock.advance(0);
    server.startAdvertising({ advertisingData: { flags: 6 } });
    const central = new SimulatedCentral(radio);
    central.connect();
    assert.equal(central.exchangeMtu(517), 247, 'nRF52 caps the MTU at 247');
    central.write(SERVICE.service.characteristics.text.uuid, new TextEncoder().encode('hi'));
    central.write(SERVICE.service.characteristics.counter.uuid, Uint8Array.of(0x34, 0x12));
    assert.deepEqual(server.events.slice(-3), [['mtu', 247], ['written', 'text', 'hi'], ['written', 'counter', 0x1234]]);
    assert.equal(new TextDecoder().decode(central.read(SERVICE.service.characteristics.text.uuid)), 'héllo');
    central.enableNotifications(SERVICE.service.characteristics.bytes.uuid);
    assert.deepEqual(server.events.at(-1), ['notify', 'bytes', false], 'the raw object: uuid is a plain ArrayBuffer');
    const backing = new Uint8Array(8).fill(9);
    server.notifyValue(server.notifyTarget!, backing.subarray(2, 4));
    assert.equal(central.notifications.at(-1)!.value.length, 8, 'a subarray view sends its whole buffer');
    assert.throws(() => central.write(SERVICE.service.characteristics.secret.uuid, new Uint8Array(1)), /insufficient-encryption/);
  });

  it('cuts notifications to MTU - 3 and counts it', () => {
    const { clock, radio, server } = boot();
    clock.advance(0);
    server.startAdvertising({ advertisingData: { flags: 6 } });
    const central = new SimulatedCentral(radio);
    central.connect();
    central.enableNotifications(SERVICE.service.characteristics.bytes.uuid);
    server.notifyValue(server.notifyTarget!, new Uint8Array(30));
    assert.equal(central.notifications.at(-1)!.value.length, 20);
    assert.equal(radio.truncatedNotifications, 1);
  });

  it('filters connections by the accept list when asked to', () => {
    const { clock, radio, server } = boot();
    clock.advance(0);
    const known = address`C6:05:04:03:02:01`;
    GAPWhitelist.add(known, GAP.AddressType.RANDOM);
    server.startAdvertising({ advertisingData: { flags: 6 }, filterPolicy: GAP.AdvFilterPolicy.WHITELIST_CONNECTIONS });
    assert.throws(() => new SimulatedCentral(radio, { address: Uint8Array.of(9, 9, 9, 9, 9, 9) }).connect(), /accept list/);
    new SimulatedCentral(radio, { address: new Uint8Array(known), addressType: GAP.AddressType.RANDOM }).connect();
    assert.deepEqual(server.events.at(-1), ['connected', 'C6:05:04:03:02:01', GAP.AddressType.RANDOM]);
  });

  it('reports a disconnect to the server on a later turn', () => {
    const { clock, radio, server } = boot();
    clock.advance(0);
    server.startAdvertising({ advertisingData: { flags: 6 } });
    const central = new SimulatedCentral(radio);
    central.connect();
    server.disconnect();
    assert.equal(central.connected, true);
    clock.advance(0);
    assert.equal(central.connected, false);
    assert.deepEqual(server.events.at(-1), ['disconnected']);
  });

  it('writes UUIDs and addresses little-endian and prints them most significant byte first', () => {
    const id = uuid`7E5A0001-4C1B-4E8B-9D3A-2F6C1B0E9A51`;
    assert.equal(new Uint8Array(id)[0], 0x51);
    assert.equal(id.toString(), '7E5A0001-4C1B-4E8B-9D3A-2F6C1B0E9A51');
    assert.ok(uuid`180F`.equals(new Bytes('0F18')));
  });
});
