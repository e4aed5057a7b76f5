// The access decisions that matter most, run on Node and inside the real XS engine: every
// certificate fault refused with its code, the policy's refusal matrix, and the lockout that a
// reboot does not lift.
import { checkCertificate } from '../../modules/access/certificate.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { LOCKOUT } from '../../modules/access/lockout.js';
import { policyFor } from '../../modules/access/policy.js';
import { ROLES } from '../../modules/access/roles.js';
import { AccessStatus } from '../../modules/access/status.js';
import { signTrustUpdate } from '../../modules/access/trust-store.js';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { CommandDispatcher, encodeRequest } from '../../modules/channel/commands.js';
import { Status } from '../../modules/channel/status.js';
import { decodeCbor } from '../../modules/core/cbor.js';
import { equal, ok } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import { firmwareCommands } from './firmware-commands.js';
import { crypto, Device, ed25519Pair, NOW, x25519Pair } from '../../host/fixtures/access-device.js';

describe('access (portable)', () => {
  it('refuses each faulty certificate with its own code', () => {
    const d = new Device(21);
    d.access.time.set(NOW);
    const key = x25519Pair(d.prng).publicKey;
    const check = (cert: Uint8Array, staticKey = key) => {
      const r = checkCertificate(crypto, d.access.trust, d.access.time, cert, { staticKey, roles: ['clinician', 'manufacturer'] });
      return r.ok ? 0 : r.status;
    };
    equal(check(d.certificate('clinician', key)), 0, 'valid');
    equal(check(d.certificate('clinician', key, { notAfter: NOW - 1 })), AccessStatus.CERT_EXPIRED, 'expired');
    equal(check(d.certificate('clinician', key, { notBefore: NOW + 1 })), AccessStatus.CERT_NOT_YET_VALID, 'not yet valid');
    equal(check(d.certificate('clinician', key, {}, ed25519Pair(d.prng))), AccessStatus.CERT_UNKNOWN_ISSUER, 'wrong issuer');
    equal(check(d.certificate('clinician', key), x25519Pair(d.prng).publicKey), AccessStatus.CERT_KEY_MISMATCH, 'mismatched key');
    equal(check(d.certificate('device', key)), AccessStatus.CERT_WRONG_ROLE, 'wrong role');
    equal(check(new Uint8Array([0xd2, 0x84])), AccessStatus.CERT_MALFORMED, 'malformed');
    equal(d.access.trust.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 1, revoked: [keyIdOf(crypto.sha256, key)] })), 0);
    equal(check(d.certificate('clinician', key)), AccessStatus.CERT_REVOKED, 'revoked');
  });

  it('refuses every command for every role not in its row', () => {
    const d = new Device(22);
    let reached = 0;
    const therapy = {
      request: () => (reached++, Promise.reject(new Error('no therapy in this test'))),
      markers: () => (reached++, { seq: 0, markers: [] }),
    };
    const specs = firmwareCommands(d, therapy);
    const dispatcher = new CommandDispatcher({ commands: specs, policy: d.access.authorizer });
    let refused = 0;
    for (const spec of specs) {
      const row = policyFor(spec.name)!;
      for (const role of ROLES) {
        if (row.roles.includes(role)) continue;
        const session = {
          id: refused + 1, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => true,
          principal: { role, keyId: new Uint8Array(8), staticKey: new Uint8Array(32), credential: 'presence', expiresAtMs: 1e12 },
        };
        const response = dispatcher.dispatch(encodeRequest(refused, spec.name, new Map()), session);
        ok(response instanceof Uint8Array, 'refused synchronously');
        equal((decodeCbor(response as Uint8Array) as number[])[1], Status.DENIED, `${spec.name} as ${role}`);
        refused++;
      }
    }
    ok(refused > 20);
    equal(reached, 0, 'no refused command reached the therapy machine');
    testHost().log(`${refused} role/command refusals checked on ${testHost().engine}`);
  });

  it('keeps the lockout across a reboot', () => {
    const d = new Device(23);
    const attempt = () => {
      const gate = new AccessGate(d.access);
      const admitted = gate.admit({ pattern: 'IK', now: d.clock.now() });
      if (admitted !== Status.OK) return admitted;
      const r = gate.authenticatePeer({ pattern: 'IK', remoteStatic: x25519Pair(d.prng).publicKey, payload: new Uint8Array(0), handshakeHash: new Uint8Array(32), now: d.clock.now() });
      return r.ok ? 0 : r.status;
    };
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) equal(attempt(), Status.AUTH_FAILED);
    d.reboot();
    equal(attempt(), AccessStatus.LOCKED_OUT);
  });
});
