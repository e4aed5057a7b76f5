// A patient's phone (a bare X25519 key, no certificate) on a simulated board over the BLE shim:
// its sessions, and pairing as the patient does it (a 3.5 s press, XX, the pairing-code exchange).
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { exchangePairingCode } from '../../programmer/pairing-code.js';
import { centralLink } from '../ble/central-link.js';
import { SimulatedCentral } from '../ble/radio.js';
import { run, settle } from './drive.js';
import type { Booted } from './sim-board.js';

/** Connects the phone at MTU 247 and completes the handshake (IK needs the device key the board holds). */
export async function phoneSession(b: Booted, phone: KeyPair, pattern: 'IK' | 'XX') {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({
    crypto, clock: b.clock, link: centralLink(central), pattern, staticKey: phone, certificate: new Uint8Array(0),
    deviceStatic: pattern === 'IK' ? b.firmware.access!.identity.identity().staticPublic : undefined,
  });
  const opened = await settle(b.clock, client.connect());
  const call = (name: string, args: CborMap = new Map()) => settle(b.clock, client.request(name, args));
  const close = async () => {
    central.disconnect();
    await run(b.clock, 50);
  };
  return { client, opened, call, close };
}

/** Holds the board's button 3.5 s and releases it: the pairing window opens. */
export async function pairingPress(b: Booted): Promise<void> {
  b.button(true);
  await run(b.clock, 3500);
  b.button(false);
}

/** Pairs `phone` as the patient does; resolves with the code the phone shows. */
export async function pair(b: Booted, phone: KeyPair): Promise<string> {
  await pairingPress(b);
  const s = await phoneSession(b, phone, 'XX');
  const code = await settle(b.clock, exchangePairingCode({ request: (name, args) => s.client.request(name, args) }, crypto, s.opened.handshakeHash));
  await s.close();
  return code;
}
