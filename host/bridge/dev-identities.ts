// DEVELOPMENT KEYS of a simulator state directory (docs/bridge.md, "Development identities"): a
// manufacturer root made for this directory only, clinician and manufacturer programmer keys with
// certificates from it, a patient phone key, and (after the factory step) the device's public key
// and certificate. The simulated firmware trusts this root instead of the built-in one; a board
// build never sees any of it (main.ts takes modules/access/builtin-trust.ts). Real keys are made
// with `implant keygen` and `implant cert issue` (docs/cli.md).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../../modules/access/certificate.js';
import type { TrustConfig } from '../../modules/access/trust-store.js';
import { toHex } from '../../modules/core/bytes.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { parsePrivateKeyPem, parsePublicKeyPem, privateKeyToPem, publicKeyToPem } from '../../tools/flash/keys.js';

export const DEV_KEYS_LABEL = 'DEVELOPMENT KEYS';
export const DEV_KEYS_DIR = 'dev-keys';
/** Development certificates outlive any test run; real ones are short (implant cert issue --days). */
const CERT_DAYS = 3650;
const DAY = 86400;

export interface ProgrammerIdentity {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly certificate: Uint8Array;
}

export interface DevIdentities {
  readonly dir: string;
  readonly root: { readonly publicKey: Uint8Array };
  readonly clinician: ProgrammerIdentity;
  readonly manufacturer: ProgrammerIdentity;
  /** A phone's key: it becomes a patient by pairing (XX in the pairing window), not by certificate. */
  readonly patient: { readonly secretKey: Uint8Array; readonly publicKey: Uint8Array };
  /** Set by the factory step: the device's static key and its certificate. */
  device: { readonly publicKey: Uint8Array; readonly certificate: Uint8Array } | undefined;
}

const README = `${DEV_KEYS_LABEL}

Made by the implant simulator for this state directory only. Anyone who reads this folder can
program the simulated implant. Never use them with a board: make real keys with
  implant keygen --kind root --out keys/root --trust-file modules/access/builtin-trust.ts
  implant keygen --kind programmer --out keys/clinic
  implant cert issue --issuer keys/root.key.pem --role clinician --subject keys/clinic.pub.pem -o keys/clinic.cert
(docs/cli.md, "Real keys").
`;

function file(dir: string, name: string): string {
  return join(dir, name);
}

function programmer(crypto: CryptoProvider, root: { secretKey: Uint8Array; publicKey: Uint8Array }, role: 'clinician' | 'manufacturer', dir: string): void {
  const secretKey = crypto.randomBytes(32);
  const publicKey = crypto.x25519.publicKey(secretKey);
  const notBefore = Math.floor(Date.now() / 1000) - DAY; // a day of slack for a clock set a little behind
  const certificate = issueCertificate(crypto, root, { role, subjectKey: publicKey, serial: crypto.randomBytes(8), notBefore, notAfter: notBefore + CERT_DAYS * DAY });
  writeFileSync(file(dir, `${role}.key.pem`), privateKeyToPem('x25519', secretKey), { mode: 0o600 });
  writeFileSync(file(dir, `${role}.pub.pem`), publicKeyToPem('x25519', publicKey));
  writeFileSync(file(dir, `${role}.cert`), certificate);
}

/** Makes the development identities in `stateDir` if it has none; returns whether it made them. */
export function ensureDevIdentities(crypto: CryptoProvider, stateDir: string): boolean {
  const dir = file(stateDir, DEV_KEYS_DIR);
  if (existsSync(file(dir, 'root.pub.pem'))) return false;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secretKey = crypto.randomBytes(32);
  const root = { secretKey, publicKey: crypto.ed25519.publicKey(secretKey) };
  writeFileSync(file(dir, 'README'), README);
  // The root's private half is kept so that `implant cert issue` can make more development certificates.
  writeFileSync(file(dir, 'root.key.pem'), privateKeyToPem('ed25519', secretKey), { mode: 0o600 });
  programmer(crypto, root, 'clinician', dir);
  programmer(crypto, root, 'manufacturer', dir);
  const patient = crypto.randomBytes(32);
  writeFileSync(file(dir, 'patient.key.pem'), privateKeyToPem('x25519', patient), { mode: 0o600 });
  writeFileSync(file(dir, 'patient.pub.pem'), publicKeyToPem('x25519', crypto.x25519.publicKey(patient)));
  // Written last: its presence means the set is complete.
  writeFileSync(file(dir, 'root.pub.pem'), publicKeyToPem('ed25519', root.publicKey));
  secretKey.fill(0);
  return true;
}

function readProgrammer(dir: string, role: 'clinician' | 'manufacturer'): ProgrammerIdentity {
  const { secretKey } = parsePrivateKeyPem(readFileSync(file(dir, `${role}.key.pem`), 'utf8'));
  const { publicKey } = parsePublicKeyPem(readFileSync(file(dir, `${role}.pub.pem`), 'utf8'));
  return { secretKey, publicKey, certificate: new Uint8Array(readFileSync(file(dir, `${role}.cert`))) };
}

/** The identities of `stateDir`, or undefined if it has none. */
export function loadDevIdentities(stateDir: string): DevIdentities | undefined {
  const dir = file(stateDir, DEV_KEYS_DIR);
  if (!existsSync(file(dir, 'root.pub.pem'))) return undefined;
  const patient = parsePrivateKeyPem(readFileSync(file(dir, 'patient.key.pem'), 'utf8')).secretKey;
  const patientPublic = parsePublicKeyPem(readFileSync(file(dir, 'patient.pub.pem'), 'utf8')).publicKey;
  const device = existsSync(file(dir, 'device.cert'))
    ? { publicKey: parsePublicKeyPem(readFileSync(file(dir, 'device.pub.pem'), 'utf8')).publicKey, certificate: new Uint8Array(readFileSync(file(dir, 'device.cert'))) }
    : undefined;
  return {
    dir,
    root: { publicKey: parsePublicKeyPem(readFileSync(file(dir, 'root.pub.pem'), 'utf8')).publicKey },
    clinician: readProgrammer(dir, 'clinician'),
    manufacturer: readProgrammer(dir, 'manufacturer'),
    patient: { secretKey: patient, publicKey: patientPublic },
    device,
  };
}

/** Records the provisioned device (the factory step's result). */
export function saveDevice(ids: DevIdentities, publicKey: Uint8Array, certificate: Uint8Array): void {
  writeFileSync(file(ids.dir, 'device.pub.pem'), publicKeyToPem('x25519', publicKey));
  writeFileSync(file(ids.dir, 'device.cert'), certificate);
  ids.device = { publicKey, certificate };
}

/** The simulated firmware's trust anchors: the development root in slot 0. */
export function devTrust(stateDir: string): TrustConfig | undefined {
  const path = file(file(stateDir, DEV_KEYS_DIR), 'root.pub.pem');
  if (!existsSync(path)) return undefined;
  return { roots: [toHex(parsePublicKeyPem(readFileSync(path, 'utf8')).publicKey)], revoked: [] };
}

/** GET /api/dev-identities (docs/bridge.md): PEM private keys and hex certificates for the programmers. */
export function devIdentitiesJson(ids: DevIdentities): Record<string, unknown> {
  const entry = (p: ProgrammerIdentity) => ({ keyPem: privateKeyToPem('x25519', p.secretKey), certHex: toHex(p.certificate) });
  return {
    label: DEV_KEYS_LABEL,
    root: { publicKey: toHex(ids.root.publicKey) },
    clinician: entry(ids.clinician),
    manufacturer: entry(ids.manufacturer),
    patient: { keyPem: privateKeyToPem('x25519', ids.patient.secretKey) },
    ...(ids.device ? { device: { publicKey: toHex(ids.device.publicKey), certHex: toHex(ids.device.certificate) } } : {}),
  };
}
