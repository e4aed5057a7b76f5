// The phone's half of the pairing-code exchange (docs/access-control.md, "Comparing codes"),
// run in the XX session that bonded: commit to a fresh nonce, receive the device's nonce, reveal
// ours. The device shows its code only after the reveal; the phone shows the code it returns.
import type { CborValue } from '../modules/core/cbor.js';
import { Status } from '../modules/channel/status.js';
import type { CryptoProvider } from '../modules/crypto/provider.js';
import { pairingCode, pairingCommitment, PAIRING_NONCE_BYTES } from '../modules/access/sas.js';

export interface PairingLink {
  request(name: string, args: CborValue): Promise<{ readonly status: number; readonly result: CborValue }>;
}

export class PairingCodeError extends Error {
  constructor(readonly step: 'commit' | 'reveal', readonly status: number) {
    super(`pairing code: ${step} refused with status ${status}`);
    this.name = 'PairingCodeError';
  }
}

/** Runs the exchange; resolves with the six digits to compare with the device's. */
export async function exchangePairingCode(link: PairingLink, crypto: CryptoProvider, handshakeHash: Uint8Array): Promise<string> {
  const phoneNonce = crypto.randomBytes(PAIRING_NONCE_BYTES);
  const committed = await link.request('access.pairing.commit', new Map([['commitment', pairingCommitment(crypto.sha256, handshakeHash, phoneNonce)]]));
  if (committed.status !== Status.OK) throw new PairingCodeError('commit', committed.status);
  const deviceNonce = committed.result instanceof Map ? committed.result.get('nonce') : undefined;
  if (!(deviceNonce instanceof Uint8Array) || deviceNonce.length !== PAIRING_NONCE_BYTES) throw new PairingCodeError('commit', Status.BAD_REQUEST);
  const revealed = await link.request('access.pairing.reveal', new Map([['nonce', phoneNonce]]));
  if (revealed.status !== Status.OK) throw new PairingCodeError('reveal', revealed.status);
  return pairingCode(crypto.sha256, handshakeHash, phoneNonce, deviceNonce);
}
