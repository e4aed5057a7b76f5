// A secure-channel session to the implant over bridge GATT operations: the GATT link, then the
// Noise handshake of the programmer client (programmer/client.ts). IK when the device's static key
// is known (from provisioning or pairing), XX otherwise (factory state, pairing window, presence).
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import type { Clock } from '../../modules/core/clock.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { GattLink } from './gatt-link.js';
import type { GattPort } from './gatt-link.js';

export interface SessionIdentity {
  readonly staticKey: KeyPair;
  /** The programmer's certificate (clinician, manufacturer); empty for a phone (patient) or emergency. */
  readonly certificate: Uint8Array;
  /** The device's static key: IK with it, XX without. */
  readonly deviceStatic?: Uint8Array;
}

export interface Session {
  readonly client: ProgrammerClient;
  readonly link: GattLink;
  readonly deviceStatic: Uint8Array;
  readonly handshakeHash: Uint8Array;
}

/** `address`: connect to that advertiser (found by a scan, docs/privacy.md); without it, to the implant the bridge serves. */
export async function openSession(port: GattPort, identity: SessionIdentity, crypto: CryptoProvider, clock: Clock, timeoutMs = 10000, address?: Uint8Array): Promise<Session> {
  const link = await GattLink.open(port, undefined, address);
  const client = new ProgrammerClient({
    link, clock, crypto, timeoutMs,
    pattern: identity.deviceStatic ? 'IK' : 'XX',
    staticKey: identity.staticKey,
    certificate: identity.certificate,
    deviceStatic: identity.deviceStatic,
  });
  try {
    const { deviceStatic, handshakeHash } = await client.connect();
    return { client, link, deviceStatic, handshakeHash };
  } catch (error) {
    await link.close();
    throw error;
  }
}
