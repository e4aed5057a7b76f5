// `implant cert`: role certificates and trust updates (docs/access-control.md).
//   implant cert issue --issuer ROOT.key.pem --role clinician --subject PROG.pub.pem -o FILE
//   implant cert show FILE [--root ROOT.pub.pem]
//   implant cert trust-update --issuer ROOT.key.pem --sequence N [--rotation-root PUB.pem]
//                             [--revoke KEYID ...] -o FILE
// Certificates are COSE_Sign1 files (binary), readable by any COSE tool.
import { readFile } from 'node:fs/promises';
import { fromHex, toHex, utf8 } from '../../../modules/core/bytes.js';
import { decodeSign1, verifySign1 } from '../../../modules/core/cose.js';
import { CERT_AAD, issueCertificate, readCertificate } from '../../../modules/access/certificate.js';
import { KEY_ID_BYTES, keyIdOf } from '../../../modules/access/key-id.js';
import { CERT_ROLES, isCertRole } from '../../../modules/access/roles.js';
import { signTrustUpdate } from '../../../modules/access/trust-store.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { parsePrivateKeyPem, parsePublicKeyPem, writePublicFile } from '../../flash/keys.js';
import type { KeyType } from '../../flash/keys.js';
import { intArg, UsageError } from '../args.js';
import type { CliIO, Command } from '../command.js';
import type { Parsed } from '../args.js';

const crypto = nobleProvider;
const DAY = 86400;

async function readKey<T extends 'private' | 'public'>(path: string, which: T, type: KeyType): Promise<Uint8Array> {
  const text = await readFile(path, 'utf8');
  const parsed = which === 'private' ? parsePrivateKeyPem(text) : parsePublicKeyPem(text);
  if (parsed.type !== type) throw new UsageError(`${path} is an ${parsed.type} key, expected ${type}`);
  return 'secretKey' in parsed ? parsed.secretKey : parsed.publicKey;
}

async function issuerPair(path: string): Promise<{ secretKey: Uint8Array; publicKey: Uint8Array }> {
  const secretKey = await readKey(path, 'private', 'ed25519');
  return { secretKey, publicKey: crypto.ed25519.publicKey(secretKey) };
}

/** Unix seconds from "now", an integer, or an ISO 8601 date. */
function timeArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === 'now') return fallback;
  if (/^\d+$/.test(value)) return intArg(name, value, 0, 0xffffffff);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} must be unix seconds or an ISO 8601 date, got "${value}"`);
  return Math.floor(ms / 1000);
}

function output(args: Parsed): string {
  const out = args.flags.out as string | undefined;
  if (!out) throw new UsageError('--out is required');
  return out;
}

async function save(io: CliIO, path: string, bytes: Uint8Array, force: boolean): Promise<boolean> {
  try {
    await writePublicFile(path, bytes, force);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    io.err(`implant cert: ${path} exists (use --force to replace it)`);
    return false;
  }
}

async function issue(args: Parsed, io: CliIO): Promise<number> {
  const role = args.flags.role;
  if (!isCertRole(role)) throw new UsageError(`--role must be one of ${CERT_ROLES.join(', ')}`);
  if (!args.flags.issuer || !args.flags.subject) throw new UsageError('--issuer and --subject are required');
  const out = output(args);
  const issuer = await issuerPair(args.flags.issuer as string);
  const subjectKey = await readKey(args.flags.subject as string, 'public', 'x25519');
  const notBefore = timeArg('not-before', args.flags['not-before'] as string | undefined, Math.floor(Date.now() / 1000));
  const days = intArg('days', args.flags.days as string | undefined, 1, 36500, 365);
  const serialHex = args.flags.serial as string | undefined;
  if (serialHex !== undefined && !/^([0-9a-fA-F]{2}){1,16}$/.test(serialHex)) throw new UsageError('--serial must be 1 to 16 bytes of hex');
  const serial = serialHex ? fromHex(serialHex) : crypto.randomBytes(8);
  const cert = issueCertificate(crypto, issuer, { role, subjectKey, serial, notBefore, notAfter: notBefore + days * DAY });
  issuer.secretKey.fill(0);
  if (!(await save(io, out, cert, args.flags.force === true))) return 1;
  return show(cert, undefined, args, io, out);
}

async function show(cert: Uint8Array, root: Uint8Array | undefined, args: Parsed, io: CliIO, file: string): Promise<number> {
  const parsed = readCertificate(cert);
  if (!parsed) {
    io.err(`implant cert: ${file} is not a certificate`);
    return 1;
  }
  const signature = root === undefined ? undefined
    : toHex(keyIdOf(crypto.sha256, root)) !== toHex(parsed.issuerKeyId) ? 'issuer key id differs from --root'
    : verifySign1(crypto.ed25519, decodeSign1(cert), root, utf8(CERT_AAD)) ? 'valid' : 'INVALID';
  const result = {
    file,
    role: parsed.role,
    subjectKey: toHex(parsed.subjectKey),
    subjectKeyId: toHex(keyIdOf(crypto.sha256, parsed.subjectKey)),
    serial: toHex(parsed.serial),
    notBefore: new Date(parsed.notBefore * 1000).toISOString(),
    notAfter: new Date(parsed.notAfter * 1000).toISOString(),
    issuerKeyId: toHex(parsed.issuerKeyId),
    bytes: cert.length,
    ...(signature ? { signature } : {}),
  };
  io.out(args.flags.json ? JSON.stringify(result) : Object.entries(result).map(([k, v]) => `${k.padEnd(13)} ${v}`).join('\n'));
  return signature === undefined || signature === 'valid' ? 0 : 1;
}

async function trustUpdate(args: Parsed, io: CliIO): Promise<number> {
  if (!args.flags.issuer) throw new UsageError('--issuer is required');
  const out = output(args);
  const sequence = intArg('sequence', args.flags.sequence as string | undefined, 1, 0xffffffff);
  const revoked = ((args.flags.revoke as string[] | undefined) ?? []).map((hex) => {
    if (!new RegExp(`^[0-9a-fA-F]{${2 * KEY_ID_BYTES}}$`).test(hex)) throw new UsageError(`--revoke takes a ${KEY_ID_BYTES}-byte key id in hex, got "${hex}"`);
    return fromHex(hex);
  });
  const rotation = args.flags['rotation-root'] as string | undefined;
  const rotationRoot = rotation ? await readKey(rotation, 'public', 'ed25519') : undefined;
  const issuer = await issuerPair(args.flags.issuer as string);
  const update = signTrustUpdate(crypto, issuer, { sequence, rotationRoot, revoked });
  issuer.secretKey.fill(0);
  if (!(await save(io, out, update, args.flags.force === true))) return 1;
  const result = { file: out, sequence, rotationRoot: rotationRoot ? toHex(rotationRoot) : null, revoked: revoked.map(toHex), bytes: update.length };
  io.out(args.flags.json ? JSON.stringify(result) : `trust update ${sequence} written to ${out} (${update.length} bytes)`);
  return 0;
}

export const certCommand: Command = {
  name: 'cert',
  summary: 'issue and show role certificates; sign trust updates (root rotation, revocation)',
  usage: 'issue --issuer KEY --role ROLE --subject PUB -o FILE | show FILE [--root PUB] | trust-update --issuer KEY --sequence N -o FILE',
  flags: {
    issuer: { type: 'string', value: 'KEY', description: 'root private key (Ed25519 PEM) that signs' },
    role: { type: 'string', value: 'ROLE', description: `certificate role: ${CERT_ROLES.join(' | ')}` },
    subject: { type: 'string', value: 'PUB', description: 'subject public key (X25519 PEM: programmer or device)' },
    serial: { type: 'string', value: 'HEX', description: 'serial number, 1-16 bytes hex (default: 8 random bytes)' },
    'not-before': { type: 'string', value: 'TIME', description: 'unix seconds or ISO 8601 date (default: now)' },
    days: { type: 'string', value: 'N', description: 'validity in days (default 365)' },
    root: { type: 'string', value: 'PUB', description: 'show: verify the signature with this root public key' },
    sequence: { type: 'string', value: 'N', description: 'trust-update: sequence number, above the device\'s' },
    'rotation-root': { type: 'string', value: 'PUB', description: 'trust-update: Ed25519 public key for root slot 1' },
    revoke: { type: 'list', value: 'KEYID', description: 'trust-update: key id to revoke (repeatable; list every one in force)' },
    out: { type: 'string', short: 'o', value: 'FILE', description: 'output file' },
    force: { type: 'boolean', description: 'replace an existing output file' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    if (action === 'issue' && rest.length === 0) return issue(args, io);
    if (action === 'trust-update' && rest.length === 0) return trustUpdate(args, io);
    if (action === 'show' && rest.length === 1) {
      const root = args.flags.root ? await readKey(args.flags.root as string, 'public', 'ed25519') : undefined;
      return show(new Uint8Array(await readFile(rest[0])), root, args, io, rest[0]);
    }
    throw new UsageError('expected: issue | show FILE | trust-update');
  },
};
