// A programmer with a certificate from a simulated board's manufacturer root, connected over the
// BLE shim's simulated central in an IK (or XX) session: how tests and tools talk to the assembled
// firmware; and the factory step that provisions a board's device certificate that way.
import { issueCertificate } from '../../modules/access/certificate.js';
import { PAIRING } from '../../modules/access/pairing.js';
import type { CertRole } from '../../modules/access/roles.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { Status } from '../../modules/channel/status.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { centralLink } from '../ble/central-link.js';
import { SimulatedCentral } from '../ble/radio.js';
import { ROOT } from '../fixtures/update-fixture.js';
import { Prng } from '../lib/prng.js';
import { run, settle } from './drive.js';
import type { Booted } from './sim-board.js';

export interface ProgrammerIdentity {
  readonly staticKey: KeyPair;
  readonly certificate: Uint8Array;
}

/** A programmer key pair and its certificate from the board's root, or `issuer` (seeded, so reproducible). */
export function programmerIdentity(role: CertRole, seed = 5, issuer: KeyPair = ROOT): ProgrammerIdentity {
  const prng = new Prng(seed);
  const secretKey = prng.bytes(32);
  const staticKey = { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
  const certificate = issueCertificate(crypto, issuer, {
    role, subjectKey: staticKey.publicKey, serial: prng.bytes(8), notBefore: 0, notAfter: 4_000_000_000,
  });
  return { staticKey, certificate };
}

/**
 * Connects a central at MTU 247 and completes a handshake as `who` (IK is given the device key the
 * board holds, or `deviceStatic`; XX learns it). `address`: connect to the advertiser seen there
 * in a scan (it must still be the board's). A refused handshake rejects after the device's disconnect has run.
 */
export async function openSession(b: Booted, pattern: 'IK' | 'XX', who: ProgrammerIdentity, options: { address?: Uint8Array; deviceStatic?: Uint8Array } = {}) {
  const central = new SimulatedCentral(b.radio);
  if (options.address) central.connectTo(options.address);
  else central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({
    crypto, clock: b.clock, link: centralLink(central), pattern, staticKey: who.staticKey, certificate: who.certificate,
    deviceStatic: pattern === 'IK' ? options.deviceStatic ?? b.firmware.access!.identity.identity().staticPublic : undefined,
  });
  let opened;
  try {
    opened = await settle(b.clock, client.connect());
  } catch (error) {
    await run(b.clock, 10); // the device's disconnect after its ALERT; advertising resumes
    throw error;
  }
  const call = (name: string, args: CborMap = new Map()) => settle(b.clock, client.request(name, args));
  const close = async () => {
    central.disconnect();
    await run(b.clock, 50);
  };
  return { central, client, opened, call, close };
}

/** An IK session as `who` (default: a clinician). */
export function programmerSession(b: Booted, who: ProgrammerIdentity = programmerIdentity('clinician')) {
  return openSession(b, 'IK', who);
}

/** A device certificate from the board's root for `subjectKey`. */
export function deviceCertificate(subjectKey: Uint8Array, serial: Uint8Array = new Uint8Array([0xde, 0x71])): Uint8Array {
  return issueCertificate(crypto, ROOT, { role: 'device', subjectKey, serial, notBefore: 0, notAfter: 4_000_000_000 });
}

/** The factory step: a manufacturer at the device (button held) installs its device certificate. */
export async function provision(b: Booted): Promise<void> {
  const factory = await programmerSession(b, programmerIdentity('manufacturer', 7));
  b.button(true);
  const { status } = await factory.call('access.provision', new Map([['certificate', deviceCertificate(b.firmware.access!.identity.identity().staticPublic)]]));
  b.button(false);
  await factory.close();
  if (status !== Status.OK) throw new Error(`provisioning refused: status ${status}`);
  // The release after a short hold opens no pairing window; let any window there is close anyway.
  await run(b.clock, PAIRING.WINDOW_MS);
}
