// A patient's phone (a bare X25519 key, no certificate) on a simulated board over the BLE shim:
// its sessions, and pairing as the patient does it (a 3.5 s press, XX, the pairing-code exchange).
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { exchangePairingCode } from '../../programmer/pairing-code.js';
import { run, settle } from './drive.js';
import { openSession } from './programmer-session.js';
import type { Booted } from './sim-board.js';

/** The phone's session (IK needs the device key the board holds). */
export const phoneSession = (b: Booted, phone: KeyPair, pattern: 'IK' | 'XX') => openSession(b, pattern, { staticKey: phone, certificate: new Uint8Array(0) });

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
