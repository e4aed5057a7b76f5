// `implant sign --key K --version V --counter C IMAGE -o PKG`: makes a signed update package
// (docs/update-format.md) from a raw image with a manufacturer Ed25519 key in a PEM file (from
// `implant keygen --kind root` or `openssl genpkey -algorithm ed25519`). The key is read, used
// once and wiped; it is never printed or written anywhere else.
import { readFile } from 'node:fs/promises';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../../modules/bootloader/identity.js';
import { parseVersion, versionText } from '../../../modules/bootloader/manifest.js';
import { buildPackage, verifyPackage } from '../../../modules/bootloader/package.js';
import { parsePrivateKeyPem } from '../../flash/keys.js';
import { writePublicFile } from '../../flash/keys.js';
import { intArg, UsageError } from '../args.js';
import type { Command } from '../command.js';

function uuidFlag(name: string, value: string, named: Record<string, string> = {}): Uint8Array {
  const bytes = uuidBytes(named[value] ?? value);
  if (!bytes) throw new UsageError(`--${name} must be a UUID${Object.keys(named).length ? ` or one of ${Object.keys(named).join(', ')}` : ''}`);
  return bytes;
}

/** Unix seconds from "1767225600" or an ISO 8601 date such as 2027-01-01T00:00:00Z. */
function expiresFlag(value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.floor(Date.parse(value) / 1000);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new UsageError('--expires must be Unix seconds or an ISO 8601 date');
  return seconds;
}

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a firmware image into an update package (COSE_Sign1 manifest + image)',
  usage: '--key KEY.pem --version X.Y.Z --counter N [--class esp32|nrf52|UUID] [--vendor UUID] [--expires WHEN] IMAGE -o PKG',
  flags: {
    key: { type: 'string', value: 'PEM', description: 'manufacturer Ed25519 private key (PKCS#8 PEM)' },
    version: { type: 'string', value: 'X.Y.Z', description: 'image version; the device takes only newer ones' },
    counter: { type: 'string', value: 'N', description: 'security counter; raise it to make older images unacceptable' },
    class: { type: 'string', value: 'CLASS', description: 'device class: esp32 (default), nrf52 or a UUID' },
    vendor: { type: 'string', value: 'UUID', description: `vendor id (default ${IMPLANT_VENDOR_UUID})` },
    expires: { type: 'string', value: 'WHEN', description: 'refuse the package after this time (Unix seconds or ISO 8601)' },
    out: { type: 'string', short: 'o', value: 'PKG', description: 'package file to write' },
    force: { type: 'boolean', description: 'replace an existing package file' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(args, io) {
    const f = args.flags;
    if (typeof f.key !== 'string') throw new UsageError('--key is required');
    if (typeof f.out !== 'string') throw new UsageError('-o PKG is required');
    if (args.positionals.length !== 1) throw new UsageError('exactly one IMAGE file is required');
    const version = parseVersion(String(f.version ?? ''));
    if (!version) throw new UsageError('--version must be X.Y.Z with parts 0..65535');
    const counter = intArg('counter', f.counter as string | undefined, 0, 0xffffffff);
    const classId = uuidFlag('class', (f.class as string | undefined) ?? 'esp32', BOARD_CLASS_UUIDS);
    const vendorId = uuidFlag('vendor', (f.vendor as string | undefined) ?? IMPLANT_VENDOR_UUID);
    const expires = f.expires === undefined ? undefined : expiresFlag(f.expires as string);
    const image = new Uint8Array(await readFile(args.positionals[0]));
    const key = parsePrivateKeyPem(await readFile(f.key, 'utf8'));
    if (key.type !== 'ed25519') throw new UsageError('--key must be an Ed25519 key (the manufacturer root)');
    const crypto = nobleProvider;
    let pkg: Uint8Array, publicKey: Uint8Array;
    try {
      publicKey = crypto.ed25519.publicKey(key.secretKey);
      const kid = keyIdOf(crypto.sha256, publicKey);
      pkg = buildPackage(crypto, { secretKey: key.secretKey, kid }, { vendorId, classId, version, securityCounter: counter, ...(expires ? { expires } : {}) }, image);
    } finally {
      key.secretKey.fill(0);
    }
    // Check the result as a device would, with the public key only.
    const checked = verifyPackage(crypto, pkg, () => ({ ok: true, publicKey }));
    try {
      await writePublicFile(f.out, pkg, f.force === true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      io.err(`implant sign: ${f.out} exists (use --force to replace it)`);
      return 1;
    }
    const result = {
      package: f.out, version: versionText(version), counter, imageSize: image.length,
      imageDigest: toHex(checked.manifest.imageDigest), keyId: toHex(checked.kid), bytes: pkg.length, expires: expires ?? null,
    };
    io.out(f.json ? JSON.stringify(result) : [
      `signed ${args.positionals[0]} -> ${f.out} (${pkg.length} bytes)`,
      `  version ${result.version}, security counter ${counter}, image ${image.length} bytes`,
      `  sha256  ${result.imageDigest}`,
      `  key id  ${result.keyId}`,
      ...(expires ? [`  expires ${new Date(expires * 1000).toISOString()}`] : []),
    ].join('\n'));
    return 0;
  },
};
