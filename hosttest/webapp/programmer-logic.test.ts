// The web app's programmer logic that runs without a browser: the parameter choices are exactly
// the therapy grids, the audit check finds gaps and damage, known implants refuse a second key,
// identities from files must belong together, and every refusal has words.
import assert from 'node:assert/strict';
import { issueCertificate } from '../../modules/access/certificate.js';
import { AccessStatus } from '../../modules/access/status.js';
import { Status } from '../../modules/channel/status.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { encodeAuditEntry } from '../../modules/storage/audit-entry.js';
import { TherapyStatus } from '../../modules/therapy/status.js';
import { checkValue } from '../../modules/therapy/validate.js';
import type { ParameterName } from '../../modules/therapy/params.js';
import { UpdateStatus } from '../../modules/bootloader/status.js';
import { privateKeyToPem } from '../../tools/flash/keys.js';
import { verifyAuditRead } from '../../webapp/src/programmer/audit.js';
import { explainStatus } from '../../webapp/src/programmer/explain.js';
import { certifiedIdentity, IdentityError, x25519FromPem } from '../../webapp/src/programmer/identities.js';
import { KnownDevices } from '../../webapp/src/programmer/known-devices.js';
import { formatValue, parameterChoices } from '../../webapp/src/programmer/parameters.js';

const crypto = nobleProvider;

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('web app: programmer logic', () => {
  it('offers exactly the values on each parameter grid', () => {
    for (const choice of parameterChoices()) {
      for (const v of choice.values) assert.equal(checkValue(choice.name as ParameterName, v), null, `${choice.name} ${String(v)} offered but refused`);
      const numbers = choice.values.filter((v): v is number => typeof v === 'number');
      if (numbers.length === 0) continue;
      let programmable = 0;
      for (let v = Math.min(...numbers); v <= Math.max(...numbers); v++) if (checkValue(choice.name as ParameterName, v) === null) programmable++;
      assert.equal(numbers.length, programmable, `${choice.name}: every programmable value is offered`);
    }
    const lrl = parameterChoices().find((c) => c.name === 'lrl')!;
    assert.ok(lrl.values.includes(51) && !lrl.values.includes(31) && !lrl.values.includes(92));
    assert.equal(formatValue('vAmplitude', 3500), '3.5 V');
    assert.equal(formatValue('pvarpExtension', 0), 'Off');
  });

  it('verifies an audit read: complete and canonical, or names what is missing or damaged', () => {
    const entry = (seq: number) => encodeAuditEntry({ seq, time: 0, event: 'therapy.program', actor: { role: 'clinician', keyId: 'ab' }, outcome: 'ok' });
    const good = verifyAuditRead([entry(3), entry(4), entry(5)], 3, 6);
    assert.equal(good.valid, true);
    assert.deepEqual(good.entries.map((e) => e.seq), [3, 4, 5]);
    const gap = verifyAuditRead([entry(3), entry(5)], 3, 6);
    assert.equal(gap.valid, false);
    assert.match(gap.problems.join(), /entries 4\.\.4 missing/);
    const damaged = entry(4);
    damaged[damaged.length - 1] ^= 0xff;
    assert.equal(verifyAuditRead([entry(3), damaged, entry(5)], 3, 6).valid, false);
    assert.match(verifyAuditRead([entry(3), entry(4)], 3, 6).problems.join(), /missing at the end/);
  });

  it('remembers an implant key per device and refuses another key for it', () => {
    const known = new KnownDevices(memoryStore(), () => 1000);
    const key = new Uint8Array(32).fill(1);
    assert.equal(known.keyOf('d1'), undefined);
    assert.equal(known.remember('d1', 'Implant', key), true);
    assert.deepEqual(known.keyOf('d1'), key);
    assert.equal(known.remember('d1', 'Implant', new Uint8Array(32).fill(2)), false);
    assert.deepEqual(known.keyOf('d1'), key, 'the pinned key is kept');
    known.forget('d1');
    assert.equal(known.keyOf('d1'), undefined);
  });

  it('loads a programmer key and certificate only when the certificate names that key', () => {
    const root = crypto.randomBytes(32);
    const issuer = { secretKey: root, publicKey: crypto.ed25519.publicKey(root) };
    const secret = crypto.randomBytes(32);
    const pem = privateKeyToPem('x25519', secret);
    assert.deepEqual(x25519FromPem(pem), secret);
    assert.throws(() => x25519FromPem(privateKeyToPem('ed25519', secret)), IdentityError);
    const claims = { role: 'clinician' as const, serial: Uint8Array.of(1), notBefore: 0, notAfter: 2 ** 31, subjectKey: crypto.x25519.publicKey(secret) };
    const identity = certifiedIdentity(crypto, 'clinic', pem, issueCertificate(crypto, issuer, claims), false);
    assert.equal(identity.role, 'clinician');
    const other = issueCertificate(crypto, issuer, { ...claims, subjectKey: crypto.x25519.publicKey(crypto.randomBytes(32)) });
    assert.throws(() => certifiedIdentity(crypto, 'clinic', pem, other, false), /another key/);
    assert.throws(() => certifiedIdentity(crypto, 'clinic', pem, issueCertificate(crypto, issuer, { ...claims, role: 'device' }), false), /cannot be used/);
  });

  it('explains every refusal in words, with the parameter the device names', () => {
    assert.match(explainStatus(Status.PRESENCE_REQUIRED), /magnet/);
    assert.match(explainStatus(Status.DENIED), /^Your role may not do this/);
    assert.match(explainStatus(AccessStatus.PAIRING_CLOSED), /pairing window is closed/);
    assert.match(explainStatus(UpdateStatus['counter-too-low']), /anti-rollback/);
    const withDetail = explainStatus(TherapyStatus.PARAMETER_CONFLICT, new Map([['parameter', 'url'], ['message', 'URL below LRL']]));
    assert.match(withDetail, /do not fit together\. Setting: url\. The implant says: "URL below LRL"\./);
    for (const code of [...Object.values(Status), ...Object.values(AccessStatus), ...Object.values(TherapyStatus)].filter((c) => c !== 0)) {
      assert.doesNotMatch(explainStatus(code), /status \d+/, `code ${code} has words`);
    }
  });
});
