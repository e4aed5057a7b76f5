// Role certificates (docs/access-control.md, "Certificates"): a COSE_Sign1 (EdDSA) whose payload
// is a CBOR Web Token claims set (RFC 8392), so any COSE/CWT tool can read one:
//   4  exp    not-after, seconds since the Unix epoch (RFC 8392 §3.1.4)
//   5  nbf    not-before (§3.1.5)
//   7  cti    serial number, 1..16 bytes (§3.1.7)
//   8  cnf    {1: COSE_Key} proof-of-possession key (RFC 8747 §3.2): the subject's X25519
//             Noise static key as an OKP key {1: 1, -1: 4, -2: x} (RFC 9053 §7.2)
//   9  scope  the role, "clinician" | "manufacturer" | "device" (RFC 9200 §5.8.1)
// The issuer is named by the key id in the protected header (kid, RFC 9052 §3.1), so it is signed.
// The signature binds the external AAD "implant/cert/v1": a certificate cannot pass for an
// update manifest or a trust update signed by the same root, nor the other way round.
// @req SEC-08 (docs/traceability.md)
import { equalBytes, utf8 } from '../core/bytes.js';
import { CborError, decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborMap, CborValue } from '../core/cbor.js';
import { CoseError, decodeSign1, signSign1, verifySign1 } from '../core/cose.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { keyIdOf } from './key-id.js';
import { isCertRole } from './roles.js';
import type { CertRole } from './roles.js';
import { AccessStatus } from './status.js';
import type { TrustStore } from './trust-store.js';
import type { TrustedTime } from './trusted-time.js';

export const CERT_AAD = 'implant/cert/v1';
export const MAX_CERT_BYTES = 512;

const CLAIM_EXP = 4;
const CLAIM_NBF = 5;
const CLAIM_CTI = 7;
const CLAIM_CNF = 8;
const CLAIM_SCOPE = 9;
const CNF_COSE_KEY = 1;
// RFC 9052 §7 / RFC 9053 §7.2: kty OKP = 1, crv X25519 = 4, x = -2.
const KEY_KTY = 1;
const KEY_CRV = -1;
const KEY_X = -2;
const KTY_OKP = 1;
const CRV_X25519 = 4;
const MAX_TIME = 0xffffffff;

export interface CertificateClaims {
  readonly role: CertRole;
  /** The subject's X25519 static public key (32 bytes). */
  readonly subjectKey: Uint8Array;
  readonly serial: Uint8Array;
  readonly notBefore: number;
  readonly notAfter: number;
}

export interface Certificate extends CertificateClaims {
  readonly issuerKeyId: Uint8Array;
}

export type CertificateCheck = { ok: true; cert: Certificate } | { ok: false; status: number };

export interface CheckOptions {
  /** The Noise static key the certificate must be bound to. */
  readonly staticKey?: Uint8Array;
  /** Roles acceptable in this context. */
  readonly roles: readonly CertRole[];
}

export function encodeClaims(claims: CertificateClaims): Uint8Array {
  const coseKey: CborMap = new Map<number, CborValue>([[KEY_KTY, KTY_OKP], [KEY_CRV, CRV_X25519], [KEY_X, claims.subjectKey]]);
  return encodeCbor(new Map<number, CborValue>([
    [CLAIM_EXP, claims.notAfter],
    [CLAIM_NBF, claims.notBefore],
    [CLAIM_CTI, claims.serial],
    [CLAIM_CNF, new Map([[CNF_COSE_KEY, coseKey]])],
    [CLAIM_SCOPE, claims.role],
  ]));
}

/** Parses a claims set; undefined unless it has exactly the claims above, well typed. */
export function decodeClaims(payload: Uint8Array): CertificateClaims | undefined {
  let map: CborValue;
  try {
    map = decodeCbor(payload, { maxBytes: MAX_CERT_BYTES, maxDepth: 4, maxItems: 8 });
  } catch (error) {
    if (error instanceof CborError) return undefined;
    throw error;
  }
  if (!(map instanceof Map) || map.size !== 5) return undefined;
  const notAfter = map.get(CLAIM_EXP);
  const notBefore = map.get(CLAIM_NBF);
  const serial = map.get(CLAIM_CTI);
  const cnf = map.get(CLAIM_CNF);
  const role = map.get(CLAIM_SCOPE);
  if (!isTime(notAfter) || !isTime(notBefore) || notBefore > notAfter) return undefined;
  if (!(serial instanceof Uint8Array) || serial.length < 1 || serial.length > 16) return undefined;
  if (!isCertRole(role)) return undefined;
  const subjectKey = x25519FromCnf(cnf);
  if (!subjectKey) return undefined;
  return { role, subjectKey, serial, notBefore, notAfter };
}

function isTime(value: CborValue | undefined): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_TIME;
}

function x25519FromCnf(cnf: CborValue | undefined): Uint8Array | undefined {
  if (!(cnf instanceof Map) || cnf.size !== 1) return undefined;
  const key = cnf.get(CNF_COSE_KEY);
  if (!(key instanceof Map) || key.size !== 3) return undefined;
  if (key.get(KEY_KTY) !== KTY_OKP || key.get(KEY_CRV) !== CRV_X25519) return undefined;
  const x = key.get(KEY_X);
  return x instanceof Uint8Array && x.length === 32 ? x : undefined;
}

/** Issues a certificate signed by an issuer (a manufacturer root). For tools and tests. */
export function issueCertificate(
  crypto: CryptoProvider,
  issuer: { secretKey: Uint8Array; publicKey: Uint8Array },
  claims: CertificateClaims,
): Uint8Array {
  return signSign1(crypto.ed25519, issuer.secretKey, encodeClaims(claims), {
    kid: keyIdOf(crypto.sha256, issuer.publicKey),
    externalAad: utf8(CERT_AAD),
  });
}

/** Reads a certificate without checking it (for display by tools). */
export function readCertificate(bytes: Uint8Array): Certificate | undefined {
  try {
    const sign1 = decodeSign1(bytes, { maxBytes: MAX_CERT_BYTES });
    const claims = decodeClaims(sign1.payload);
    return claims && sign1.kid ? { ...claims, issuerKeyId: sign1.kid } : undefined;
  } catch (error) {
    if (error instanceof CoseError) return undefined;
    throw error;
  }
}

/**
 * Checks a certificate in the documented order (docs/access-control.md, "Certificates"); the
 * first failing check names the status:
 *   1. COSE_Sign1 structure, alg, claims set well formed      CERT_MALFORMED
 *   2. issuer kid names a root slot                           CERT_UNKNOWN_ISSUER
 *   3. issuer root or subject key id revoked                  CERT_REVOKED
 *   4. Ed25519 signature                                      CERT_BAD_SIGNATURE
 *   5. validity period under the device's time policy        CERT_NOT_YET_VALID / CERT_EXPIRED
 *   6. subject key = the handshake's static key (if given)    CERT_KEY_MISMATCH
 *   7. role usable in this context                            CERT_WRONG_ROLE
 * Everything before the signature is parsing and table lookups; nothing is trusted until 4.
 */
export function checkCertificate(
  crypto: CryptoProvider,
  trust: TrustStore,
  time: TrustedTime,
  bytes: Uint8Array,
  options: CheckOptions,
): CertificateCheck {
  let sign1;
  try {
    sign1 = decodeSign1(bytes, { maxBytes: MAX_CERT_BYTES });
  } catch (error) {
    if (error instanceof CoseError) return { ok: false, status: AccessStatus.CERT_MALFORMED };
    throw error;
  }
  const claims = decodeClaims(sign1.payload);
  if (!claims) return { ok: false, status: AccessStatus.CERT_MALFORMED };
  const root = trust.rootFor(sign1.kid);
  if (!root.ok) return root;
  if (trust.isRevoked(keyIdOf(crypto.sha256, claims.subjectKey))) return { ok: false, status: AccessStatus.CERT_REVOKED };
  if (!verifySign1(crypto.ed25519, sign1, root.publicKey, utf8(CERT_AAD))) return { ok: false, status: AccessStatus.CERT_BAD_SIGNATURE };
  const validity = time.checkValidity(claims.notBefore, claims.notAfter);
  if (validity !== 0) return { ok: false, status: validity };
  if (options.staticKey && !equalBytes(options.staticKey, claims.subjectKey)) return { ok: false, status: AccessStatus.CERT_KEY_MISMATCH };
  if (!options.roles.includes(claims.role)) return { ok: false, status: AccessStatus.CERT_WRONG_ROLE };
  return { ok: true, cert: { ...claims, issuerKeyId: sign1.kid! } };
}
