// `implant keygen`: makes a key pair as two PEM files OpenSSL reads (tools/flash/keys.ts):
//   --kind root        Ed25519, the manufacturer root that signs certificates and updates
//   --kind programmer  X25519, a programmer's Noise static key (certified by `implant cert issue`)
//   --kind device      X25519, a device identity made off-board (devices normally make their own)
// The private key goes to PREFIX.key.pem with mode 0600 and is never printed; the public key
// to PREFIX.pub.pem. The output names the public key and its key id only.
// With --trust-file (roots only), the public key is also written as the firmware's built-in
// root slot 0 (modules/access/builtin-trust.ts), so that the next build trusts this root.
import { toHex } from '../../../modules/core/bytes.js';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { privateKeyToPem, publicKeyToPem, writePrivateKeyFile, writePublicFile } from '../../flash/keys.js';
import type { KeyType } from '../../flash/keys.js';
import { UsageError } from '../args.js';
import type { Command } from '../command.js';

/** The TypeScript module that builds the root into the firmware (public data only). */
export function builtinTrustModule(rootHex: string): string {
  return [
    '// The manufacturer root built into the firmware (root slot 0; docs/access-control.md, "Keys").',
    '// Written by `implant keygen --kind root --out PREFIX --trust-file modules/access/builtin-trust.ts`;',
    '// keep the matching PREFIX.key.pem offline. Slot 1 and revocations change only by signed trust update.',
    "import type { TrustConfig } from './trust-store.js';",
    '',
    'export const BUILTIN_TRUST: TrustConfig = Object.freeze({',
    `  roots: Object.freeze(['${rootHex}']),`,
    '  revoked: Object.freeze([]),',
    '});',
    '',
  ].join('\n');
}

const KINDS: Record<string, KeyType> = { root: 'ed25519', programmer: 'x25519', device: 'x25519' };

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make a root (Ed25519), programmer or device (X25519) key pair as PEM files',
  usage: '--kind root|programmer|device --out PREFIX [--trust-file FILE] [--force] [--json]',
  flags: {
    kind: { type: 'string', value: 'KIND', description: 'root | programmer | device' },
    out: { type: 'string', value: 'PREFIX', description: 'writes PREFIX.key.pem (0600) and PREFIX.pub.pem' },
    'trust-file': { type: 'string', value: 'FILE', description: 'root only: also write FILE (modules/access/builtin-trust.ts) naming it as slot 0' },
    force: { type: 'boolean', description: 'replace existing files' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run(args, io) {
    const kind = args.flags.kind as string | undefined;
    const out = args.flags.out as string | undefined;
    if (!kind || !(kind in KINDS)) throw new UsageError('--kind must be root, programmer or device');
    if (!out) throw new UsageError('--out is required');
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const trustFile = args.flags['trust-file'] as string | undefined;
    if (trustFile !== undefined && kind !== 'root') throw new UsageError('--trust-file goes with --kind root');
    const type = KINDS[kind];
    const secretKey = nobleProvider.randomBytes(32);
    const publicKey = type === 'ed25519' ? nobleProvider.ed25519.publicKey(secretKey) : nobleProvider.x25519.publicKey(secretKey);
    const force = args.flags.force === true;
    const files = { privateKey: `${out}.key.pem`, publicKey: `${out}.pub.pem` };
    try {
      await writePrivateKeyFile(files.privateKey, privateKeyToPem(type, secretKey), force);
      await writePublicFile(files.publicKey, publicKeyToPem(type, publicKey), force);
      // Replacing the built-in root is the point of --trust-file, so it never needs --force.
      if (trustFile !== undefined) await writePublicFile(trustFile, builtinTrustModule(toHex(publicKey)), true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        io.err(`implant keygen: ${(error as NodeJS.ErrnoException).path} exists (use --force to replace it)`);
        return 1;
      }
      throw error;
    } finally {
      secretKey.fill(0);
    }
    const result = { kind, type, publicKey: toHex(publicKey), keyId: toHex(keyIdOf(nobleProvider.sha256, publicKey)), files: trustFile ? { ...files, trustFile } : files };
    io.out(args.flags.json ? JSON.stringify(result) : [
      `${kind} key (${type})`,
      `  public key  ${result.publicKey}`,
      `  key id      ${result.keyId}`,
      `  private     ${files.privateKey} (mode 0600)`,
      `  public      ${files.publicKey}`,
    ].join('\n'));
    return 0;
  },
};
