// Handshake-time authentication through the channel gate: roles from certificates, bonds,
// the pairing window and presence; lockout with backoff that survives reboot; alerts.
// @req SEC-04 (docs/traceability.md)
import assert from 'node:assert/strict';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { accessCommands } from '../../modules/access/commands.js';
import { ADMISSION } from '../../modules/access/admission.js';
import { HANDSHAKE_WORST_UJ } from '../../modules/access/energy.js';
import { backoffMs, LOCKOUT } from '../../modules/access/lockout.js';
import { PAIRING } from '../../modules/access/pairing.js';
import { EMERGENCY } from '../../modules/access/principal.js';
import type { AccessPrincipal } from '../../modules/access/principal.js';
import { AccessStatus } from '../../modules/access/status.js';
import type { PeerDecision } from '../../modules/channel/hooks.js';
import { Status } from '../../modules/channel/status.js';
import { crypto, Device, EMPTY_PAYLOAD, NOW, x25519Pair } from '../../host/fixtures/access-device.js';

const HANDSHAKE_REFILL_MS = Math.ceil((HANDSHAKE_WORST_UJ * 86_400_000) / ADMISSION.ALLOWANCE_PER_DAY_UJ);

function connect(device: Device, pattern: 'IK' | 'XX', remoteStatic: Uint8Array, payload: Uint8Array = EMPTY_PAYLOAD): PeerDecision | number {
  const gate = new AccessGate(device.access);
  const admitted = gate.admit({ pattern, now: device.clock.now() });
  if (admitted !== Status.OK) return admitted;
  return gate.authenticatePeer({ pattern, remoteStatic, payload, handshakeHash: crypto.sha256(remoteStatic), now: device.clock.now() });
}

function role(result: PeerDecision | number): string | number {
  if (typeof result === 'number') return result;
  return result.ok ? result.principal.role : result.status;
}

describe('access: authentication', () => {
  it('gives clinician and manufacturer roles from certificates, refusing a bad one with its code', () => {
    const d = new Device();
    d.access.time.set(NOW);
    const c = d.programmer('clinician');
    const m = d.programmer('manufacturer');
    assert.equal(role(connect(d, 'IK', c.static.publicKey, c.payload)), 'clinician');
    assert.equal(role(connect(d, 'IK', m.static.publicKey, m.payload)), 'manufacturer');
    const stolen = connect(d, 'IK', x25519Pair(d.prng).publicKey, c.payload);
    assert.equal(role(stolen), AccessStatus.CERT_KEY_MISMATCH, 'a copied certificate without its key');
    assert.deepEqual(d.audit.of('auth.ok').map((e) => e.split(' ')[0]), ['clinician', 'manufacturer']);
    assert.equal(d.audit.of('auth.fail').length, 1);
  });

  it('bonds a phone only inside the pairing window, opened by a 3-10 s press, one bond per window', () => {
    const d = new Device();
    const phone = x25519Pair(d.prng).publicKey;
    assert.equal(role(connect(d, 'XX', phone)), Status.PATTERN_NOT_ALLOWED, 'XX is refused before any DH outside the window');
    d.press(PAIRING.HOLD_MIN_MS - 1);
    assert.equal(d.access.pairing.isOpen(), false, 'too short');
    d.press(PAIRING.HOLD_MAX_MS + 1);
    assert.equal(d.access.pairing.isOpen(), false, 'a magnet left in place never opens it');
    d.press(PAIRING.HOLD_MIN_MS);
    assert.equal(d.access.pairing.isOpen(), true);
    assert.equal(role(connect(d, 'XX', phone)), 'patient');
    assert.equal(d.access.pairing.isOpen(), false, 'closed after one bond');
    assert.equal(d.display.at(-1), 'pairing window closed', 'the code waits for the exchange (sas-mitm.test.ts)');
    assert.equal(role(connect(d, 'IK', phone)), 'patient', 'the bonded phone returns with IK');
    const second = x25519Pair(d.prng).publicKey;
    assert.equal(role(connect(d, 'IK', second)), Status.AUTH_FAILED);
    assert.deepEqual(d.access.alerts.pending('patient'), [{ kind: 'bond-added', count: 1 }]);
  });

  it('closes the pairing window after its timeout', () => {
    const d = new Device();
    d.press(PAIRING.HOLD_MIN_MS);
    d.clock.advance(PAIRING.WINDOW_MS - 1);
    assert.equal(d.access.pairing.isOpen(), true);
    d.clock.advance(1);
    assert.equal(d.access.pairing.isOpen(), false);
    assert.equal(role(connect(d, 'XX', x25519Pair(d.prng).publicKey)), Status.PATTERN_NOT_ALLOWED);
  });

  it('holds at most MAX_BONDS phones', () => {
    const d = new Device();
    for (let i = 0; i < PAIRING.MAX_BONDS; i++) {
      d.press(PAIRING.HOLD_MIN_MS);
      assert.equal(role(connect(d, 'XX', x25519Pair(d.prng).publicKey)), 'patient');
    }
    d.press(PAIRING.HOLD_MIN_MS);
    assert.equal(role(connect(d, 'XX', x25519Pair(d.prng).publicKey)), AccessStatus.BONDS_FULL);
    assert.equal(d.bonds.list().length, PAIRING.MAX_BONDS);
  });

  it('gives emergency rights only after an unbroken long hold, one session per hold, time-limited, audited and announced', () => {
    const d = new Device();
    const stranger = x25519Pair(d.prng).publicKey;
    assert.equal(role(connect(d, 'IK', stranger)), Status.AUTH_FAILED);
    d.access.presence.set(true);
    d.clock.advance(PAIRING.HOLD_MAX_MS);
    assert.equal(role(connect(d, 'XX', stranger)), Status.PATTERN_NOT_ALLOWED, 'a pairing-length hold opens no XX');
    assert.equal(role(connect(d, 'IK', stranger)), Status.AUTH_FAILED, 'and gives no emergency role');
    d.clock.advance(EMERGENCY.ARM_HOLD_MS - PAIRING.HOLD_MAX_MS);
    const r = connect(d, 'XX', stranger) as PeerDecision;
    assert.ok(r.ok);
    const p = r.principal as AccessPrincipal;
    assert.equal(p.role, 'emergency');
    assert.equal(p.expiresAtMs, d.clock.now() + EMERGENCY.SESSION_MS);
    assert.equal(role(connect(d, 'XX', x25519Pair(d.prng).publicKey)), Status.PATTERN_NOT_ALLOWED, 'one session per hold');
    assert.deepEqual(d.access.alerts.pending('clinician'), [{ kind: 'emergency-access', count: 1 }]);
    assert.deepEqual(d.access.alerts.pending('patient'), [{ kind: 'emergency-access', count: 1 }]);
    assert.equal(d.audit.of('auth.ok')[0].split(' ').slice(0, 2).join(' '), 'emergency presence');
    // Released and held again for the whole time: one more session. An expired certificate then
    // falls back to emergency, and the refused credential is audited.
    d.access.presence.set(false);
    d.access.presence.set(true);
    d.clock.advance(EMERGENCY.ARM_HOLD_MS - 1);
    assert.equal(d.access.emergency.isArmed(), false);
    d.clock.advance(1);
    d.access.time.set(NOW);
    const old = d.programmer('clinician', { notAfter: NOW - 1 });
    assert.equal(role(connect(d, 'IK', old.static.publicKey, old.payload)), 'emergency');
    assert.equal(d.audit.of('auth.credential-refused')[0].split(' ')[2], String(AccessStatus.CERT_EXPIRED));
  });

  it('backs off exponentially after repeated failures, and the lockout survives a reboot', () => {
    const d = new Device();
    const stranger = x25519Pair(d.prng).publicKey;
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) assert.equal(role(connect(d, 'IK', stranger)), Status.AUTH_FAILED);
    assert.equal(role(connect(d, 'IK', stranger)), AccessStatus.LOCKED_OUT);
    assert.deepEqual(d.access.alerts.pending('patient'), [{ kind: 'lockout', count: 1 }]);
    // The energy bucket (3 handshakes) is empty too: wait for both before the next try.
    d.clock.advance(Math.max(backoffMs(LOCKOUT.FREE_FAILURES), HANDSHAKE_REFILL_MS));
    assert.equal(role(connect(d, 'IK', stranger)), Status.AUTH_FAILED, 'one more try after the backoff');
    assert.equal(d.access.lockout.lockedUntil() - d.clock.now(), 2 * LOCKOUT.BASE_MS, 'the backoff doubled');
    // Reboot: RAM is lost, the counters are not; the full backoff of the streak applies from boot.
    d.clock.advance(1000);
    d.reboot();
    assert.equal(d.access.lockout.streak(), LOCKOUT.FREE_FAILURES + 1);
    assert.equal(role(connect(d, 'IK', stranger)), AccessStatus.LOCKED_OUT);
    d.clock.advance(2 * LOCKOUT.BASE_MS - 1);
    assert.equal(role(connect(d, 'IK', stranger)), AccessStatus.LOCKED_OUT);
    d.clock.advance(1);
    // A successful authentication ends the streak, once the session proves it is live: an IK
    // first message could be a replay, so only its first command counts.
    d.access.time.set(NOW);
    const c = d.programmer('clinician');
    const r = connect(d, 'IK', c.static.publicKey, c.payload) as PeerDecision;
    assert.ok(r.ok && r.principal.role === 'clinician');
    assert.equal(d.access.lockout.streak(), LOCKOUT.FREE_FAILURES + 1, 'not yet: no command so far');
    const spec = accessCommands(d.access).find((x) => x.name === 'access.whoami')!;
    d.access.authorizer.authorize(spec, { id: 9, principal: r.principal, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => false });
    assert.equal(d.access.lockout.streak(), 0);
    assert.equal(d.access.lockout.isLocked(), false);
  });

  it('lets presence through a lockout (an attacker at radio range cannot lock out the clinic)', () => {
    const d = new Device();
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) connect(d, 'IK', x25519Pair(d.prng).publicKey);
    d.access.time.set(NOW);
    const c = d.programmer('clinician');
    assert.equal(role(connect(d, 'IK', c.static.publicKey, c.payload)), AccessStatus.LOCKED_OUT);
    d.access.presence.set(true);
    assert.equal(role(connect(d, 'IK', c.static.publicKey, c.payload)), 'clinician');
  });

  it('counts admitted handshakes that fail in Noise toward the lockout, and ignores pre-admission garbage', () => {
    const d = new Device();
    const gate = new AccessGate(d.access);
    for (let i = 0; i < 10; i++) gate.sessionEvent({ kind: 'handshake-failed', now: d.clock.now(), status: 1 });
    assert.equal(d.access.lockout.streak(), 0, 'nothing was admitted: no flash write, no lockout');
    assert.equal(d.audit.events.length, 0);
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) {
      assert.equal(gate.admit({ pattern: 'IK', now: d.clock.now() }), Status.OK);
      gate.sessionEvent({ kind: 'handshake-failed', now: d.clock.now(), status: 1 });
    }
    assert.equal(d.access.lockout.isLocked(), true);
    assert.equal(d.audit.of('channel.handshake-failed').length, LOCKOUT.FREE_FAILURES);
  });

  it('raises a tamper alert that each audience, every bonded phone on its own, acknowledges', () => {
    const d = new Device();
    const [mine, other] = [x25519Pair(d.prng).publicKey, x25519Pair(d.prng).publicKey].map((staticKey) => ({ keyId: crypto.sha256(staticKey).subarray(0, 8), staticKey, bondedAt: 0 }));
    d.access.deps.bonds.add(mine);
    d.access.deps.bonds.add(other);
    d.access.tamper();
    d.reboot();
    assert.deepEqual(d.access.alerts.pending('patient'), [{ kind: 'tamper', count: 1 }]);
    assert.equal(d.access.alerts.acknowledge(other.keyId), 1, 'a second phone acknowledges');
    d.reboot();
    assert.deepEqual(d.access.alerts.pending(other.keyId), []);
    assert.deepEqual(d.access.alerts.pending(mine.keyId), [{ kind: 'tamper', count: 1 }], 'the patient\'s phone still sees it');
    assert.deepEqual(d.access.alerts.pending('clinician'), [{ kind: 'tamper', count: 1 }]);
    assert.equal(d.access.alerts.acknowledge(mine.keyId), 1);
    assert.deepEqual(d.access.alerts.pending(mine.keyId), []);
  });
});
