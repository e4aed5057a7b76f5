// Who the programmer is to the implant: a Noise static key and, for clinicians and
// manufacturers, the certificate that binds it to a role (docs/access-control.md). A patient's
// phone makes its own key and bonds it in a pairing window; an emergency programmer uses a fresh
// key with no credential and the magnet held. Keys loaded from files are PKCS#8 PEM (RFC 8410)
// as `implant keygen` writes them; certificates are the raw COSE_Sign1 bytes `implant cert issue`
// writes (or their hex).
import { readCertificate } from '../../../modules/access/certificate.js';
import { equalBytes, fromHex, toHex } from '../../../modules/core/bytes.js';
import type { CryptoProvider } from '../../../modules/crypto/provider.js';
import type { KeyPair } from '../../../modules/channel/noise/suite.js';

export type RoleName = 'patient' | 'clinician' | 'manufacturer' | 'emergency';

export interface Identity {
  readonly id: string;
  readonly label: string;
  readonly role: RoleName;
  readonly staticKey: KeyPair;
  /** The handshake payload: a certificate, or empty (bonded phone, emergency). */
  readonly certificate: Uint8Array;
  /** A development key from the simulator: shown as DEVELOPMENT KEYS wherever it is used. */
  readonly development: boolean;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

/** RFC 8410 §7: the one DER prefix of a v1 PKCS#8 X25519 private key (OID 1.3.101.110), then 32 key bytes. */
const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420');

export function x25519FromPem(text: string): Uint8Array {
  const match = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(text);
  if (!match) throw new IdentityError('the key file is not a PEM private key');
  const der = Uint8Array.from(atob(match[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  if (der.length !== X25519_PKCS8_PREFIX.length + 32 || !equalBytes(der.subarray(0, X25519_PKCS8_PREFIX.length), X25519_PKCS8_PREFIX)) {
    throw new IdentityError('the key file is not an X25519 programmer key (make one with `implant keygen --kind programmer`)');
  }
  return der.slice(X25519_PKCS8_PREFIX.length);
}

/** Raw COSE bytes, or the same as hex text. */
export function certificateBytes(file: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(file).trim();
  return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? fromHex(text.toLowerCase()) : file;
}

/** A clinician or manufacturer identity from its key and certificate; the two must belong together. */
export function certifiedIdentity(crypto: CryptoProvider, label: string, keyPem: string, certificate: Uint8Array, development: boolean): Identity {
  const secretKey = x25519FromPem(keyPem);
  const publicKey = crypto.x25519.publicKey(secretKey);
  const cert = readCertificate(certificate);
  if (!cert) throw new IdentityError('the certificate file is not an implant certificate');
  if (cert.role !== 'clinician' && cert.role !== 'manufacturer') throw new IdentityError(`a ${cert.role} certificate cannot be used by a programmer`);
  if (!equalBytes(cert.subjectKey, publicKey)) throw new IdentityError('the certificate names another key than the key file');
  return { id: `${cert.role}:${toHex(publicKey).slice(0, 16)}`, label, role: cert.role, staticKey: { publicKey, secretKey }, certificate, development };
}

/** Where the patient phone's key is kept between visits. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const PATIENT_KEY = 'implant.patient-key';

/** This phone's own key (made once, kept in the browser's storage), bonded as the patient. */
export function patientIdentity(crypto: CryptoProvider, store: KeyValueStore): Identity {
  let hex = store.getItem(PATIENT_KEY);
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) {
    hex = toHex(crypto.randomBytes(32));
    store.setItem(PATIENT_KEY, hex);
  }
  const secretKey = fromHex(hex);
  return { id: 'patient', label: 'This phone (patient)', role: 'patient', staticKey: { publicKey: crypto.x25519.publicKey(secretKey), secretKey }, certificate: new Uint8Array(0), development: false };
}

/** No credential: with the magnet held the implant grants emergency access (interrogate, Pace-Now). */
export function emergencyIdentity(crypto: CryptoProvider): Identity {
  const secretKey = crypto.randomBytes(32);
  return { id: 'emergency', label: 'Emergency (no credential)', role: 'emergency', staticKey: { publicKey: crypto.x25519.publicKey(secretKey), secretKey }, certificate: new Uint8Array(0), development: false };
}

/** The simulator's GET /api/dev-identities (DEVELOPMENT KEYS). */
export interface DevIdentities {
  readonly clinician: { readonly keyPem: string; readonly certHex: string };
  readonly manufacturer: { readonly keyPem: string; readonly certHex: string };
}

export function developmentIdentities(crypto: CryptoProvider, dev: DevIdentities): Identity[] {
  return (['clinician', 'manufacturer'] as const).map((role) =>
    certifiedIdentity(crypto, `Development ${role}`, dev[role].keyPem, fromHex(dev[role].certHex.toLowerCase()), true));
}
