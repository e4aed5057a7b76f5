// PEM keys and the keygen/cert CLI against OpenSSL: OpenSSL reads what we write, we read what
// OpenSSL writes, both derive the same public keys, an OpenSSL signature check accepts our
// certificate's COSE Sig_structure, private key files are 0600, and nothing prints a secret.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_TRUST } from '../../modules/access/builtin-trust.js';
import { CERT_AAD } from '../../modules/access/certificate.js';
import { TrustStore } from '../../modules/access/trust-store.js';
import { toHex, utf8 } from '../../modules/core/bytes.js';
import { decodeSign1, sigStructure } from '../../modules/core/cose.js';
import { main } from '../../tools/cli/main.js';
import { parsePrivateKeyPem, parsePublicKeyPem, privateKeyToPem, publicKeyToPem } from '../../tools/flash/keys.js';
import { crypto } from '../../host/fixtures/access-device.js';

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) });
  return { code, out, err };
}

describe('access: PEM keys and the keygen / cert commands', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'implant-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const type of ['ed25519', 'x25519'] as const) {
    it(`writes ${type} PKCS#8 and SPKI that OpenSSL reads, and reads OpenSSL's`, () => {
      const secret = crypto.randomBytes(32);
      const pub = type === 'ed25519' ? crypto.ed25519.publicKey(secret) : crypto.x25519.publicKey(secret);
      writeFileSync(join(dir, 'k.pem'), privateKeyToPem(type, secret));
      // OpenSSL derives the same public key from our private key file, in the same SPKI bytes.
      assert.equal(openssl('pkey', '-in', join(dir, 'k.pem'), '-pubout'), publicKeyToPem(type, pub));
      assert.match(openssl('pkey', '-in', join(dir, 'k.pem'), '-text', '-noout'), new RegExp(`${type === 'ed25519' ? 'ED25519' : 'X25519'} Private-Key`));
      openssl('genpkey', '-algorithm', type, '-out', join(dir, 'o.pem'));
      const theirs = parsePrivateKeyPem(readFileSync(join(dir, 'o.pem'), 'utf8'));
      assert.equal(theirs.type, type);
      const theirPub = parsePublicKeyPem(openssl('pkey', '-in', join(dir, 'o.pem'), '-pubout'));
      const derived = type === 'ed25519' ? crypto.ed25519.publicKey(theirs.secretKey) : crypto.x25519.publicKey(theirs.secretKey);
      assert.equal(toHex(theirPub.publicKey), toHex(derived));
    });
  }

  it('refuses other key types and malformed PEM', () => {
    openssl('genpkey', '-algorithm', 'ed448', '-out', join(dir, 'ed448.pem'));
    assert.throws(() => parsePrivateKeyPem(readFileSync(join(dir, 'ed448.pem'), 'utf8')), /not an Ed25519 or X25519 key/);
    assert.throws(() => parsePublicKeyPem('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n'), /truncated|bytes/);
    assert.throws(() => parsePrivateKeyPem('nothing'), /no "PRIVATE KEY" PEM block/);
  });

  it('keygen writes a 0600 private key, prints only public data, and never overwrites silently', async () => {
    const prefix = join(dir, 'root');
    const r = await cli('keygen', '--kind', 'root', '--out', prefix, '--json');
    assert.equal(r.code, 0, r.err);
    assert.equal(statSync(`${prefix}.key.pem`).mode & 0o777, 0o600);
    const secret = parsePrivateKeyPem(readFileSync(`${prefix}.key.pem`, 'utf8')).secretKey;
    assert.ok(!r.out.includes(toHex(secret)) && !r.out.includes('PRIVATE'), 'no secret on stdout');
    const printed = JSON.parse(r.out);
    assert.equal(printed.publicKey, toHex(crypto.ed25519.publicKey(secret)));
    assert.equal((await cli('keygen', '--kind', 'root', '--out', prefix)).code, 1);
    assert.equal(parsePrivateKeyPem(readFileSync(`${prefix}.key.pem`, 'utf8')).secretKey.join(), secret.join(), 'unchanged');
    assert.equal((await cli('keygen', '--kind', 'nope', '--out', prefix)).code, 2);
  });

  it('keygen --trust-file writes the built-in root module naming the new root', async () => {
    const trustFile = join(dir, 'builtin-trust.ts');
    const r = await cli('keygen', '--kind', 'root', '--out', join(dir, 'root'), '--trust-file', trustFile, '--json');
    assert.equal(r.code, 0, r.err);
    const text = readFileSync(trustFile, 'utf8');
    assert.ok(text.includes(`roots: Object.freeze(['${JSON.parse(r.out).publicKey}'])`));
    assert.ok(!text.includes(toHex(parsePrivateKeyPem(readFileSync(join(dir, 'root.key.pem'), 'utf8')).secretKey)));
    assert.equal((await cli('keygen', '--kind', 'programmer', '--out', join(dir, 'p'), '--trust-file', trustFile)).code, 2);
    // The committed module has the same shape and makes a working trust store.
    assert.equal(new TrustStore(crypto, BUILTIN_TRUST, { load: () => undefined, save: () => {} }).slots().length, 1);
  });

  it('cert issue signs a certificate that OpenSSL verifies over the COSE Sig_structure', async () => {
    const root = join(dir, 'root');
    const prog = join(dir, 'prog');
    await cli('keygen', '--kind', 'root', '--out', root);
    await cli('keygen', '--kind', 'programmer', '--out', prog);
    const certFile = join(dir, 'c.cose');
    const r = await cli('cert', 'issue', '--issuer', `${root}.key.pem`, '--role', 'clinician', '--subject', `${prog}.pub.pem`,
      '--not-before', '2026-01-01T00:00:00Z', '--days', '30', '--serial', '0102', '-o', certFile, '--json');
    assert.equal(r.code, 0, r.err);
    const shown = JSON.parse(r.out);
    assert.deepEqual([shown.role, shown.serial, shown.notBefore, shown.notAfter], ['clinician', '0102', '2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z']);
    const cert = new Uint8Array(readFileSync(certFile));
    const sign1 = decodeSign1(cert);
    writeFileSync(join(dir, 'tbs'), sigStructure(sign1.protectedBytes, sign1.payload, utf8(CERT_AAD)));
    writeFileSync(join(dir, 'sig'), sign1.signature);
    assert.match(openssl('pkeyutl', '-verify', '-pubin', '-inkey', `${root}.pub.pem`, '-rawin', '-in', join(dir, 'tbs'), '-sigfile', join(dir, 'sig')), /Signature Verified Successfully/);
    assert.equal((await cli('cert', 'show', certFile, '--root', `${root}.pub.pem`)).code, 0);
    await cli('keygen', '--kind', 'root', '--out', join(dir, 'other'));
    assert.equal((await cli('cert', 'show', certFile, '--root', join(dir, 'other.pub.pem'))).code, 1);
    assert.equal((await cli('cert', 'issue', '--issuer', `${prog}.key.pem`, '--role', 'clinician', '--subject', `${prog}.pub.pem`, '-o', join(dir, 'x'))).code, 2, 'an X25519 key cannot sign');
  });
});
