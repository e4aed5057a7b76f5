// First contact of a programmer that never talked to this implant (docs/access-control.md,
// "First contact"): it learned the implant's static key over XX, so it must check that key
// belongs to a genuine implant before pinning it for IK: the device certificate, signed by a
// manufacturer root, with role "device", must name exactly that key.
import { equalBytes, utf8 } from '../modules/core/bytes.js';
import type { CborValue } from '../modules/core/cbor.js';
import { CoseError, decodeSign1, verifySign1 } from '../modules/core/cose.js';
import { Status } from '../modules/channel/status.js';
import type { CryptoProvider } from '../modules/crypto/provider.js';
import { CERT_AAD, decodeClaims, MAX_CERT_BYTES } from '../modules/access/certificate.js';
import { keyIdOf } from '../modules/access/key-id.js';

export type FirstContactFault = 'refused' | 'no-certificate' | 'malformed' | 'unknown-issuer' | 'bad-signature' | 'wrong-role' | 'other-key';

export class FirstContactError extends Error {
  constructor(readonly fault: FirstContactFault) {
    super(`first contact: ${fault}`);
    this.name = 'FirstContactError';
  }
}

export interface IdentityLink {
  request(name: string, args?: CborValue): Promise<{ readonly status: number; readonly result: CborValue }>;
}

/** Checks a device certificate against the manufacturer roots the programmer trusts and the key the handshake learned. */
export function checkDeviceCertificate(crypto: CryptoProvider, roots: readonly Uint8Array[], certificate: Uint8Array, deviceStatic: Uint8Array): FirstContactFault | undefined {
  let sign1;
  try {
    sign1 = decodeSign1(certificate, { maxBytes: MAX_CERT_BYTES });
  } catch (error) {
    if (error instanceof CoseError) return 'malformed';
    throw error;
  }
  const claims = decodeClaims(sign1.payload);
  if (!claims) return 'malformed';
  const root = roots.find((r) => sign1.kid !== undefined && equalBytes(keyIdOf(crypto.sha256, r), sign1.kid));
  if (!root) return 'unknown-issuer';
  if (!verifySign1(crypto.ed25519, sign1, root, utf8(CERT_AAD))) return 'bad-signature';
  if (claims.role !== 'device') return 'wrong-role';
  return equalBytes(claims.subjectKey, deviceStatic) ? undefined : 'other-key';
}

/** Asks the implant for its identity in the XX session just opened; resolves once its key is proven genuine. */
export async function verifyImplant(link: IdentityLink, crypto: CryptoProvider, roots: readonly Uint8Array[], deviceStatic: Uint8Array): Promise<void> {
  const answer = await link.request('access.identity.get', new Map());
  if (answer.status !== Status.OK || !(answer.result instanceof Map)) throw new FirstContactError('refused');
  const certificate = answer.result.get('certificate');
  if (!(certificate instanceof Uint8Array)) throw new FirstContactError('no-certificate');
  const fault = checkDeviceCertificate(crypto, roots, certificate, deviceStatic);
  if (fault) throw new FirstContactError(fault);
}
