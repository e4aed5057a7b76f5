// Boots the implant's GATT server on the simulated radio with a test gate and dispatcher.
import { readFileSync } from 'node:fs';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import type { DeviceInfo } from '../../modules/ble/device-info.js';
import { virtualHost } from '../../host/shims/host-control.js';
import { Prng } from '../../host/lib/prng.js';
import { crypto, keyPair, testDispatcher, TestGate } from '../../host/fixtures/channel-fixture.js';
import { resetBleRadio } from '../../host/ble/radio.js';
import type { BleRadio, ServiceJson } from '../../host/ble/radio.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

export function bootImplant(options: { maxMtu?: number } = {}) {
  const clock = virtualHost('esp32');
  const radio: BleRadio = resetBleRadio();
  if (options.maxMtu) radio.maxMtu = options.maxMtu;
  radio.installServices([service('gap'), service('implant')]);
  const prng = new Prng(7);
  const deviceKey = keyPair(prng);
  const programmerKey = keyPair(prng);
  const gate = new TestGate([programmerKey.publicKey]);
  const info: DeviceInfo = { model: 'IMPLANT-SIM', protocol: 1, selectors: [0x11] };
  const server = new ImplantGattServer({
    clock, crypto, staticKey: deviceKey, gate, dispatcher: testDispatcher(), physicalPresence: () => false, deviceInfo: () => info,
  });
  clock.advance(0); // onReady, then the services deploy
  return { clock, radio, server, deviceKey, programmerKey, gate };
}
