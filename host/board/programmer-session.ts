// A programmer with a certificate from a simulated board's manufacturer root, connected over the
// BLE shim's simulated central in an IK session: how tests and tools talk to the assembled firmware.
import { issueCertificate } from '../../modules/access/certificate.js';
import type { CertRole } from '../../modules/access/roles.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { centralLink } from '../ble/central-link.js';
import { SimulatedCentral } from '../ble/radio.js';
import { ROOT } from '../fixtures/update-fixture.js';
import { Prng } from '../lib/prng.js';
import { settle } from './drive.js';
import type { Booted } from './sim-board.js';

export interface ProgrammerIdentity {
  readonly staticKey: KeyPair;
  readonly certificate: Uint8Array;
}

/** A programmer key pair and its certificate from the board's root (seeded, so reproducible). */
export function programmerIdentity(role: CertRole, seed = 5): ProgrammerIdentity {
  const prng = new Prng(seed);
  const secretKey = prng.bytes(32);
  const staticKey = { secretKey, publicKey: crypto.x25519.publicKey(secretKey) };
  const certificate = issueCertificate(crypto, ROOT, {
    role, subjectKey: staticKey.publicKey, serial: prng.bytes(8), notBefore: 0, notAfter: 4_000_000_000,
  });
  return { staticKey, certificate };
}

/** Connects a central at MTU 247 and completes an IK handshake as `who` (default: a clinician). */
export async function programmerSession(b: Booted, who: ProgrammerIdentity = programmerIdentity('clinician')) {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({
    crypto, clock: b.clock, link: centralLink(central), pattern: 'IK', staticKey: who.staticKey, certificate: who.certificate,
    deviceStatic: b.firmware.access!.identity.identity().staticPublic,
  });
  await settle(b.clock, client.connect());
  return { central, client };
}
