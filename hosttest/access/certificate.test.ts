// Role certificates and trust anchors: every way a certificate can be wrong is refused with its
// own code, the clock policy holds when the time is unknown, and only signed, forward-moving
// trust updates rotate roots and revoke keys.
// @req SEC-08, SEC-15 (docs/traceability.md)
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCertificate, decodeClaims, encodeClaims, issueCertificate, readCertificate } from '../../modules/access/certificate.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { AccessStatus } from '../../modules/access/status.js';
import { signTrustUpdate } from '../../modules/access/trust-store.js';
import { MAX_FORWARD_JUMP } from '../../modules/access/trusted-time.js';
import { utf8 } from '../../modules/core/bytes.js';
import { decodeSign1, signSign1 } from '../../modules/core/cose.js';
import { crypto, Device, ed25519Pair, NOW, x25519Pair, YEAR } from '../../host/fixtures/access-device.js';

function check(device: Device, cert: Uint8Array, staticKey?: Uint8Array, roles: ('clinician' | 'manufacturer' | 'device')[] = ['clinician', 'manufacturer']) {
  const a = device.access;
  const r = checkCertificate(crypto, a.trust, a.time, cert, { staticKey, roles });
  return r.ok ? 0 : r.status;
}

describe('access: certificates', () => {
  it('is a CWT claims set in a COSE_Sign1 whose kid names the issuing root', () => {
    const d = new Device();
    const key = x25519Pair(d.prng).publicKey;
    const cert = d.certificate('clinician', key, { serial: new Uint8Array([7]), notBefore: 10, notAfter: 20 });
    const sign1 = decodeSign1(cert);
    assert.deepEqual([...cert.subarray(0, 2)], [0xd2, 0x84], 'tagged COSE_Sign1 (tag 18), a 4-array');
    assert.deepEqual(sign1.kid, keyIdOf(crypto.sha256, d.root.publicKey));
    // D2 84, the protected header bstr (4D: 13 bytes), then the unprotected header: the empty map A0.
    assert.ok(sign1.protectedHeader.has(4) && cert[3 + (cert[2] & 0x1f)] === 0xa0, 'kid in the protected header, the unprotected one empty');
    assert.deepEqual(readCertificate(cert), { role: 'clinician', subjectKey: key, serial: new Uint8Array([7]), notBefore: 10, notAfter: 20, issuerKeyId: sign1.kid });
    assert.ok(cert.length < 200, `${cert.length} bytes`);
  });

  it('accepts a valid certificate bound to the handshake key', () => {
    const d = new Device();
    d.access.time.set(NOW);
    const p = d.programmer('clinician');
    assert.equal(check(d, p.cert, p.static.publicKey), 0);
  });

  it('refuses expired, not-yet-valid, revoked, wrong-issuer, mismatched-key and wrong-role certificates', () => {
    const d = new Device();
    d.access.time.set(NOW);
    const key = x25519Pair(d.prng).publicKey;
    assert.equal(check(d, d.certificate('clinician', key, { notAfter: NOW - 1 }), key), AccessStatus.CERT_EXPIRED);
    assert.equal(check(d, d.certificate('clinician', key, { notBefore: NOW + 60 }), key), AccessStatus.CERT_NOT_YET_VALID);
    assert.equal(check(d, d.certificate('clinician', key, {}, ed25519Pair(d.prng)), key), AccessStatus.CERT_UNKNOWN_ISSUER);
    assert.equal(check(d, d.certificate('clinician', key), x25519Pair(d.prng).publicKey), AccessStatus.CERT_KEY_MISMATCH);
    assert.equal(check(d, d.certificate('device', key), key), AccessStatus.CERT_WRONG_ROLE);
    // A revoked subject key, then a revoked root.
    const update = signTrustUpdate(crypto, d.root, { sequence: 1, rotationRoot: d.rotationRoot.publicKey, revoked: [keyIdOf(crypto.sha256, key)] });
    assert.equal(d.access.trust.applyUpdate(update), 0);
    assert.equal(check(d, d.certificate('clinician', key), key), AccessStatus.CERT_REVOKED);
    const other = x25519Pair(d.prng).publicKey;
    const revokeRoot = signTrustUpdate(crypto, d.rotationRoot, { sequence: 2, revoked: [keyIdOf(crypto.sha256, key), keyIdOf(crypto.sha256, d.root.publicKey)] });
    assert.equal(d.access.trust.applyUpdate(revokeRoot), 0);
    assert.equal(check(d, d.certificate('clinician', other), other), AccessStatus.CERT_REVOKED);
    assert.equal(check(d, d.certificate('clinician', other, {}, d.rotationRoot), other), 0, 'the rotated-in root now issues');
  });

  it('refuses a certificate whose signature was made for another purpose or tampered', () => {
    const d = new Device();
    d.access.time.set(NOW);
    const key = x25519Pair(d.prng).publicKey;
    const cert = d.certificate('clinician', key);
    for (let i = 0; i < cert.length; i++) {
      const bad = cert.slice();
      bad[i] ^= 0x04;
      assert.notEqual(check(d, bad, key), 0, `flip at ${i}`);
    }
    // A trust update is not a claims set: refused as malformed before its signature is checked.
    const update = signTrustUpdate(crypto, d.root, { sequence: 1, revoked: [] });
    assert.equal(check(d, update, key), AccessStatus.CERT_MALFORMED);
    // Well-formed claims signed by the root for another purpose (another external AAD).
    const claims = { role: 'clinician' as const, subjectKey: key, serial: Uint8Array.of(1), notBefore: 0, notAfter: NOW + YEAR };
    const otherPurpose = signSign1(crypto.ed25519, d.root.secretKey, encodeClaims(claims), { kid: keyIdOf(crypto.sha256, d.root.publicKey), externalAad: utf8('implant/trust-update/v1') });
    assert.equal(check(d, otherPurpose, key), AccessStatus.CERT_BAD_SIGNATURE);
  });

  it('checks in the documented order: the first failing check names the code', () => {
    const d = new Device();
    d.access.time.set(NOW);
    const key = x25519Pair(d.prng).publicKey;
    const other = x25519Pair(d.prng).publicKey;
    const forged = (cert: Uint8Array) => {
      const bad = cert.slice();
      bad[bad.length - 1] ^= 1; // the signature's last byte
      return bad;
    };
    // Each row fails its own check and every later one; the code is the earliest.
    const expiredWrongRole = d.certificate('device', other, { notAfter: NOW - 1 });
    assert.equal(check(d, forged(expiredWrongRole), key), AccessStatus.CERT_BAD_SIGNATURE, 'signature before validity, key and role');
    assert.equal(check(d, expiredWrongRole, key), AccessStatus.CERT_EXPIRED, 'validity before key and role');
    assert.equal(check(d, d.certificate('device', other), key), AccessStatus.CERT_KEY_MISMATCH, 'a device certificate on another key: key before role');
    assert.equal(check(d, d.certificate('device', key), key), AccessStatus.CERT_WRONG_ROLE);
    assert.equal(check(d, forged(d.certificate('device', other, {}, ed25519Pair(d.prng))), key), AccessStatus.CERT_UNKNOWN_ISSUER, 'issuer before signature');
    const update = signTrustUpdate(crypto, d.root, { sequence: 1, rotationRoot: d.rotationRoot.publicKey, revoked: [keyIdOf(crypto.sha256, other)] });
    assert.equal(d.access.trust.applyUpdate(update), 0);
    assert.equal(check(d, forged(d.certificate('device', other, { notAfter: NOW - 1 })), key), AccessStatus.CERT_REVOKED, 'revocation before signature');
    assert.equal(check(d, new Uint8Array([0x84, 0x40, 0xa0, 0x40, 0x40]), key), AccessStatus.CERT_MALFORMED);
  });

  it('with the clock unknown, checks expiry against the persistent time floor and skips not-before', () => {
    const d = new Device();
    d.access.time.set(NOW, { vouches: true });
    d.reboot();
    assert.equal(d.access.time.now(), undefined);
    const key = x25519Pair(d.prng).publicKey;
    assert.equal(check(d, d.certificate('clinician', key, { notAfter: NOW - 1 }), key), AccessStatus.CERT_EXPIRED);
    assert.equal(check(d, d.certificate('clinician', key, { notBefore: NOW + YEAR, notAfter: NOW + 2 * YEAR }), key), 0);
  });

  it('sets time only forward of the best known time and within one year of what the device vouches for', () => {
    const d = new Device();
    assert.deepEqual(d.access.time.set(NOW), { ok: true });
    d.clock.advance(5000);
    assert.equal(d.access.time.now(), NOW + 5);
    assert.deepEqual(d.access.time.set(NOW - 1), { ok: false, status: AccessStatus.TIME_REFUSED });
    assert.deepEqual(d.access.time.set(d.access.time.vouched() + MAX_FORWARD_JUMP + 1), { ok: false, status: AccessStatus.TIME_REFUSED });
    assert.deepEqual(d.access.time.set(NOW, { vouches: true }), { ok: true }, 'the manufacturer with presence moves the floor');
    d.reboot();
    assert.deepEqual(d.access.time.set(NOW - 10), { ok: false, status: AccessStatus.TIME_REFUSED }, 'the floor survives reboot');
  });

  it('decodes only claims it would encode (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      const claims = decodeClaims(bytes);
      if (claims) assert.deepEqual(encodeClaims(claims), bytes);
    }), { numRuns: 5000 });
    fc.assert(fc.property(
      fc.constantFrom('clinician', 'manufacturer', 'device' as const),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 1, maxLength: 16 }),
      fc.nat(0xffffffff), fc.nat(0xffffffff),
      (role, subjectKey, serial, a, b) => {
        const claims = { role, subjectKey, serial, notBefore: Math.min(a, b), notAfter: Math.max(a, b) };
        assert.deepEqual(decodeClaims(encodeClaims(claims)), claims);
      }), { numRuns: 500 });
  });

  it('refuses random bytes as a certificate without throwing (property)', () => {
    const d = new Device();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      assert.notEqual(check(d, bytes), 0);
    }), { numRuns: 3000 });
  });

  it('issues the same bytes for the same claims (deterministic Ed25519 over deterministic CBOR)', () => {
    const d = new Device();
    const claims = { role: 'manufacturer' as const, subjectKey: new Uint8Array(32).fill(9), serial: new Uint8Array([1]), notBefore: 0, notAfter: 1 };
    assert.deepEqual(issueCertificate(crypto, d.root, claims), issueCertificate(crypto, d.root, claims));
  });
});

describe('access: trust updates', () => {
  it('rotates and revokes only with a signed, rising sequence that keeps every revocation', () => {
    const d = new Device();
    const t = d.access.trust;
    const rootKid = keyIdOf(crypto.sha256, d.root.publicKey);
    const stranger = ed25519Pair(d.prng);
    const a = new Uint8Array(8).fill(1);
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, stranger, { sequence: 1, revoked: [] })), AccessStatus.TRUST_UPDATE_REJECTED, 'unknown signer');
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 1, rotationRoot: d.rotationRoot.publicKey, revoked: [a] })), 0);
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 1, revoked: [a] })), AccessStatus.TRUST_UPDATE_REJECTED, 'replayed sequence');
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 2, revoked: [] })), AccessStatus.TRUST_UPDATE_REJECTED, 'drops a revocation');
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 2, revoked: [a, rootKid, keyIdOf(crypto.sha256, d.rotationRoot.publicKey)] })), AccessStatus.TRUST_UPDATE_REJECTED, 'no usable root left');
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 3, revoked: [a, rootKid] })), 0, 'slot 0 retired, slot 1 remains');
    assert.equal(t.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 4, revoked: [a, rootKid] })), AccessStatus.TRUST_UPDATE_REJECTED, 'a revoked root signs nothing');
    d.reboot();
    assert.equal(d.access.trust.sequence(), 3, 'state survives reboot');
    assert.deepEqual(d.access.trust.slots().map((s) => [s.slot, s.revoked]), [[0, true], [1, false]]);
  });
});
