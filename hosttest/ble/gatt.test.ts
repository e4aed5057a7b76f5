// @req SEC-18 (docs/traceability.md)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ADMISSION_RECHECK_MS } from '../../modules/ble/device-gatt.js';
import { decodeDeviceInfo } from '../../modules/ble/device-info.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { Status } from '../../modules/channel/status.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { crypto } from '../../host/fixtures/channel-fixture.js';
import { centralLink } from '../../host/ble/central-link.js';
import { bootImplant } from './gatt-fixture.js';
import { AttError, SimulatedCentral } from '../../host/ble/radio.js';

describe('implant GATT server over the host BLE shim', () => {
  it('keeps the portable UUID table equal to bleservices/implant.json', () => {
    const json = JSON.parse(readFileSync(new URL('../../modules/ble/bleservices/implant.json', import.meta.url), 'utf8'));
    const c = json.service.characteristics;
    assert.deepEqual(
      [json.service.uuid, c.deviceInfo.uuid, c.control.uuid, c.response.uuid, c.otaData.uuid],
      [IMPLANT_GATT.service, IMPLANT_GATT.deviceInfo, IMPLANT_GATT.control, IMPLANT_GATT.response, IMPLANT_GATT.otaData],
    );
    assert.deepEqual([c.control.properties, c.response.properties, c.otaData.properties], ['write', 'notify', 'writeNoResponse']);
  });

  it('advertises connectably with nothing but the shared service UUID', () => {
    const { radio } = bootImplant();
    const adv = radio.advertising!;
    assert.ok(adv.connectable, 'flags 6 makes the advertisement connectable');
    assert.equal(adv.flags, 6);
    // flags AD (3 bytes) + complete 128-bit UUID list (18 bytes): no name, no serial, no manufacturer data.
    assert.equal(adv.data.length, 21);
    assert.equal(adv.scanResponse, undefined);
    assert.equal(radio.deviceName, 'Implant');
    assert.deepEqual(radio.security, { encryption: true, bonding: false, mitm: false, ioCapability: 0 });
  });

  it('serves device information without a session, with no identifier in it', () => {
    const { radio } = bootImplant();
    const central = new SimulatedCentral(radio);
    central.connect();
    const info = decodeDeviceInfo(central.read(IMPLANT_GATT.deviceInfo));
    assert.deepEqual(info, { model: 'IMPLANT-SIM', protocol: 1, selectors: [0x11] });
  });

  for (const mtu of [23, 247, 517]) {
    it(`completes a handshake and command round trip through the GATT adapter at MTU ${mtu}`, async () => {
      const { radio, server, deviceKey, programmerKey, clock } = bootImplant({ maxMtu: 517 });
      const central = new SimulatedCentral(radio);
      central.connect();
      const advertising = () => radio.advertising;
      assert.equal(advertising(), undefined, 'advertising stops while connected');
      assert.equal(central.exchangeMtu(mtu), mtu);
      central.pair();
      assert.ok(central.encrypted, 'link encryption (Just Works) is on as defence in depth');
      central.enableNotifications(IMPLANT_GATT.response);
      const client = new ProgrammerClient({
        crypto, clock, link: centralLink(central), pattern: 'IK', staticKey: programmerKey,
        certificate: new Uint8Array([0xa0]), deviceStatic: deviceKey.publicKey,
      });
      await client.connect();
      const echo = await client.request('test.echo', new Map([['data', new Uint8Array(300).fill(7)]]));
      assert.equal(echo.status, Status.OK);
      assert.deepEqual(echo.result, new Uint8Array(300).fill(7));
      const bulk = await client.request('test.echo', new Map([['data', new Uint8Array(600).fill(8)]]), { bulk: true });
      assert.deepEqual(bulk.result, new Uint8Array(600).fill(8), 'a request over the OTA data characteristic');
      assert.equal(radio.truncatedNotifications, 0, 'no notification exceeded MTU - 3');
      assert.equal(server.droppedNotifications, 0);
      central.disconnect();
      assert.ok(advertising()?.connectable, 'advertising resumes after the disconnect');
    });
  }

  it('lets one central in at a time and rejects writes the characteristic does not allow', () => {
    const { radio } = bootImplant();
    const a = new SimulatedCentral(radio);
    a.connect();
    assert.throws(() => new SimulatedCentral(radio, { address: new Uint8Array(6) }).connect(), /no connectable advertiser/);
    assert.throws(() => a.write(IMPLANT_GATT.control, new Uint8Array(21)), (e: AttError) => e.code === 'invalid-attribute-length');
    assert.throws(() => a.write(IMPLANT_GATT.response, new Uint8Array(1)), (e: AttError) => e.code === 'write-not-permitted');
    assert.throws(() => a.write(IMPLANT_GATT.otaData, new Uint8Array(1)), (e: AttError) => e.code === 'write-not-permitted');
  });

  it('drops the link after a failed handshake and advertises again', () => {
    const { radio, clock } = bootImplant();
    const central = new SimulatedCentral(radio);
    central.connect();
    central.enableNotifications(IMPLANT_GATT.response);
    // A HELLO naming an unknown protocol: the device answers with an ALERT and disconnects.
    central.write(IMPLANT_GATT.control, Uint8Array.of(0xc0, 0x01, 0x00, 0x01, 0x7f));
    assert.deepEqual([...central.notifications.at(-1)!.value], [0xc0, 0x04, 0x00, 0x01, Status.UNSUPPORTED_PROTOCOL]);
    clock.advance(0);
    assert.equal(central.connected, false);
    assert.ok(radio.advertising?.connectable);
  });

  it('stays silent while the gate refuses connections, and advertises again once it allows them', () => {
    const { radio, clock, gate } = bootImplant();
    const central = new SimulatedCentral(radio);
    central.connect();
    gate.radioOpen = false;
    central.disconnect();
    clock.advance(0);
    const advertising = () => radio.advertising;
    assert.equal(advertising(), undefined, 'no advertising while refused');
    clock.advance(ADMISSION_RECHECK_MS * 5);
    assert.equal(advertising(), undefined);
    gate.radioOpen = true;
    clock.advance(ADMISSION_RECHECK_MS);
    assert.ok(advertising()?.connectable);
  });

  it('drops a connection the gate refuses before any handshake work', () => {
    const { radio, clock, gate } = bootImplant();
    gate.connectionStatus = Status.RATE_LIMITED;
    const central = new SimulatedCentral(radio);
    central.connect();
    clock.advance(0);
    assert.equal(central.connected, false);
    assert.equal(gate.admitted, 0, 'no handshake was admitted');
    assert.ok(radio.advertising?.connectable, 'advertising resumes for the next central');
  });
});
