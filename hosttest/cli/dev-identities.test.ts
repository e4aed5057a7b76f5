// The simulator's DEVELOPMENT KEYS (host/bridge/dev-identities.ts): made once per state
// directory, private keys 0600, certificates from the directory's own root with the right roles,
// served with their label; and none of it can reach a board build.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSign1, verifySign1 } from '../../modules/core/cose.js';
import { toHex, utf8 } from '../../modules/core/bytes.js';
import { CERT_AAD, readCertificate } from '../../modules/access/certificate.js';
import { BUILTIN_TRUST } from '../../modules/access/builtin-trust.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { DEV_KEYS_LABEL, devIdentitiesJson, devTrust, ensureDevIdentities, loadDevIdentities, saveDevice } from '../../host/bridge/dev-identities.js';

describe('simulator development identities', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'implant-devkeys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are made once, with certificates from their own root for the right roles', () => {
    assert.equal(ensureDevIdentities(nobleProvider, dir), true);
    assert.equal(ensureDevIdentities(nobleProvider, dir), false);
    const ids = loadDevIdentities(dir)!;
    for (const role of ['clinician', 'manufacturer'] as const) {
      const cert = readCertificate(ids[role].certificate)!;
      assert.equal(cert.role, role);
      assert.deepEqual(cert.subjectKey, ids[role].publicKey);
      assert.ok(verifySign1(nobleProvider.ed25519, decodeSign1(ids[role].certificate), ids.root.publicKey, utf8(CERT_AAD)));
      assert.equal(statSync(join(ids.dir, `${role}.key.pem`)).mode & 0o777, 0o600);
    }
    assert.equal(statSync(join(ids.dir, 'root.key.pem')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(ids.dir, 'README'), 'utf8'), /^DEVELOPMENT KEYS/);
    assert.deepEqual(devTrust(dir), { roots: [toHex(ids.root.publicKey)], revoked: [] });
  });

  it('are served with their label, and with the device once it is provisioned', () => {
    ensureDevIdentities(nobleProvider, dir);
    const ids = loadDevIdentities(dir)!;
    const before = devIdentitiesJson(ids);
    assert.equal(before.label, DEV_KEYS_LABEL);
    assert.equal('device' in before, false);
    saveDevice(ids, new Uint8Array(32).fill(7), Uint8Array.of(1, 2, 3));
    assert.deepEqual(devIdentitiesJson(loadDevIdentities(dir)!).device, { publicKey: '07'.repeat(32), certHex: '010203' });
  });

  it('never reach a board build: the device trusts the built-in root, and the manifest takes nothing from host/', () => {
    ensureDevIdentities(nobleProvider, dir);
    assert.notDeepEqual(BUILTIN_TRUST.roots, devTrust(dir)!.roots);
    const manifest = readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8');
    assert.doesNotMatch(manifest, /host\//);
    assert.doesNotMatch(readFileSync(new URL('../../main.ts', import.meta.url), 'utf8'), /host\//);
  });
});
