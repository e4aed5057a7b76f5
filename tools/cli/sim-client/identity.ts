// Who the CLI is when it talks to an implant: a programmer key (and certificate) from files, or
// the simulator's DEVELOPMENT KEYS (GET /api/dev-identities), which it then says on every run.
import { readFile } from 'node:fs/promises';
import { fromHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import type { SessionIdentity } from '../../../host/bridge/session.js';
import { parsePrivateKeyPem, parsePublicKeyPem } from '../../flash/keys.js';
import { UsageError } from '../args.js';
import type { FlagSpecs, Parsed } from '../args.js';
import { simBase, SimUnreachable } from './bridge-socket.js';

export const DEV_ROLES = Object.freeze(['clinician', 'manufacturer', 'patient'] as const);
export type DevRole = (typeof DEV_ROLES)[number];

/** The flags every programmer command takes. */
export const PROGRAMMER_FLAGS: FlagSpecs = {
  sim: { type: 'string', value: 'URL', description: "the simulator's bridge, ws://HOST:PORT (what `npm start` prints)" },
  as: { type: 'string', value: 'ROLE', description: `with the simulator's DEVELOPMENT KEYS: ${DEV_ROLES.join(' | ')} (default per command)` },
  key: { type: 'string', value: 'PEM', description: "your programmer's X25519 private key (instead of the development keys)" },
  cert: { type: 'string', value: 'FILE', description: 'its certificate (implant cert issue); none for a paired phone' },
  'device-key': { type: 'string', value: 'PEM|HEX', description: "the implant's static public key (from provisioning or pairing); without it XX" },
  bonds: { type: 'string', value: 'FILE', description: 'find the implant by a bond of this store (its IRK or fixed address; `pair --bonds` writes it) and use IK with its key' },
  json: { type: 'boolean', description: 'print the result as one JSON object' },
};

export interface ResolvedIdentity extends SessionIdentity {
  /** The simulator's development keys are in use (say so). */
  readonly development: boolean;
  readonly role: string;
}

/** The --sim URL, or a usage error: this host has no BLE central (docs/cli.md). */
export function simUrl(args: Parsed): string {
  const sim = args.flags.sim;
  if (typeof sim !== 'string') throw new UsageError('--sim ws://HOST:PORT is required: this host has no BLE central (docs/cli.md, "A native central")');
  simBase(sim);
  return sim;
}

async function keyFromFile(path: string): Promise<Uint8Array> {
  const text = await readFile(path, 'utf8');
  if (/^[0-9a-fA-F]{64}\s*$/.test(text)) return fromHex(text.trim().toLowerCase());
  const key = parsePublicKeyPem(text);
  if (key.type !== 'x25519') throw new UsageError(`${path} is not an X25519 public key`);
  return key.publicKey;
}

async function devIdentities(sim: string): Promise<Record<string, { keyPem?: string; certHex?: string; publicKey?: string }>> {
  const url = new URL('api/dev-identities', simBase(sim));
  url.protocol = 'http:';
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new SimUnreachable(`cannot reach the simulator at ${url.href}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new UsageError(`the simulator has no development identities (${response.status}): give --key and --cert`);
  return (await response.json()) as Record<string, { keyPem?: string; certHex?: string; publicKey?: string }>;
}

/** The identity for a command whose usual role is `defaultRole`. */
export async function resolveIdentity(args: Parsed, defaultRole: DevRole): Promise<ResolvedIdentity> {
  const f = args.flags;
  const deviceStatic = typeof f['device-key'] === 'string' ? await keyFromFile(f['device-key']) : undefined;
  if (typeof f.key === 'string') {
    if (f.as !== undefined) throw new UsageError('--as picks a development identity: not with --key');
    const parsed = parsePrivateKeyPem(await readFile(f.key, 'utf8'));
    if (parsed.type !== 'x25519') throw new UsageError(`${f.key} is not an X25519 private key`);
    const certificate = typeof f.cert === 'string' ? new Uint8Array(await readFile(f.cert)) : new Uint8Array(0);
    const staticKey = { secretKey: parsed.secretKey, publicKey: nobleProvider.x25519.publicKey(parsed.secretKey) };
    return { staticKey, certificate, deviceStatic, development: false, role: certificate.length ? 'certificate' : 'phone' };
  }
  if (f.cert !== undefined) throw new UsageError('--cert goes with --key');
  const role = (f.as ?? defaultRole) as DevRole;
  if (!DEV_ROLES.includes(role)) throw new UsageError(`--as must be one of ${DEV_ROLES.join(', ')}`);
  const ids = await devIdentities(simUrl(args));
  const entry = ids[role];
  if (!entry?.keyPem) throw new UsageError(`the simulator's development identities have no ${role}`);
  const secretKey = parsePrivateKeyPem(entry.keyPem).secretKey;
  return {
    staticKey: { secretKey, publicKey: nobleProvider.x25519.publicKey(secretKey) },
    certificate: entry.certHex ? fromHex(entry.certHex) : new Uint8Array(0),
    deviceStatic: deviceStatic ?? (ids.device?.publicKey ? fromHex(ids.device.publicKey) : undefined),
    development: true,
    role,
  };
}
