// `implant verify-image PKG --root PUB`: checks an update package as the device would before
// accepting a byte of it (signature by a trusted root named by its key id, well-formed
// manifest) and then as the bootloader would (exact image size, SHA-256). Prints the manifest.
// Device-state checks (vendor, class, counter, version, expiry) are the device's own.
import { readFile } from 'node:fs/promises';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { equalBytes, toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { UpdateError } from '../../../modules/bootloader/errors.js';
import { uuidText } from '../../../modules/bootloader/identity.js';
import { versionText } from '../../../modules/bootloader/manifest.js';
import { verifyPackage } from '../../../modules/bootloader/package.js';
import { parsePublicKeyPem } from '../../flash/keys.js';
import { UsageError } from '../args.js';
import type { Command } from '../command.js';

export const verifyImageCommand: Command = {
  name: 'verify-image',
  summary: 'verify an update package against manufacturer root public keys',
  usage: 'PKG --root PUB.pem [--root PUB2.pem] [--json]',
  flags: {
    root: { type: 'list', value: 'PEM', description: 'trusted Ed25519 root public key (SubjectPublicKeyInfo PEM); repeatable' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(args, io) {
    const roots = (args.flags.root as string[] | undefined) ?? [];
    if (roots.length === 0) throw new UsageError('at least one --root is required');
    if (args.positionals.length !== 1) throw new UsageError('exactly one PKG file is required');
    const crypto = nobleProvider;
    const keys: { publicKey: Uint8Array; kid: Uint8Array }[] = [];
    for (const path of roots) {
      const key = parsePublicKeyPem(await readFile(path, 'utf8'));
      if (key.type !== 'ed25519') throw new UsageError(`${path} is not an Ed25519 key`);
      keys.push({ publicKey: key.publicKey, kid: keyIdOf(crypto.sha256, key.publicKey) });
    }
    const pkg = new Uint8Array(await readFile(args.positionals[0]));
    try {
      const v = verifyPackage(crypto, pkg, (kid) => {
        const found = kid && keys.find((k) => equalBytes(k.kid, kid));
        return found ? { ok: true, publicKey: found.publicKey } : { ok: false, reason: 'unknown-key' };
      });
      const m = v.manifest;
      const result = {
        valid: true, version: versionText(m.version), securityCounter: m.securityCounter, imageSize: m.imageSize,
        imageDigest: toHex(m.imageDigest), keyId: toHex(v.kid), vendorId: uuidText(m.vendorId), classId: uuidText(m.classId),
        expires: m.expires ?? null,
      };
      io.out(args.flags.json ? JSON.stringify(result) : [
        `valid update package ${args.positionals[0]}`,
        `  version ${result.version}, security counter ${m.securityCounter}, image ${m.imageSize} bytes`,
        `  sha256  ${result.imageDigest}`,
        `  key id  ${result.keyId}`,
        `  vendor  ${result.vendorId}`,
        `  class   ${result.classId}`,
        ...(m.expires ? [`  expires ${new Date(m.expires * 1000).toISOString()}`] : []),
      ].join('\n'));
      return 0;
    } catch (error) {
      if (!(error instanceof UpdateError)) throw error;
      io.out(args.flags.json ? JSON.stringify({ valid: false, error: error.code, detail: error.message }) : `INVALID ${args.positionals[0]}: ${error.code} (${error.message})`);
      return 1;
    }
  },
};
