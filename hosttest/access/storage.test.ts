// Access control over the real storage (NOR flash simulator): lockout, bonds, identity, trust
// state and alerts survive reboot, and a power cut at any flash operation of a failed
// authentication (also torn) never shortens the lockout.
// @req SEC-09 (docs/traceability.md)
import assert from 'node:assert/strict';
import { toHex } from '../../modules/core/bytes.js';
import { AccessControl } from '../../modules/access/access-control.js';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { LOCKOUT } from '../../modules/access/lockout.js';
import { PAIRING } from '../../modules/access/pairing.js';
import { storagePorts } from '../../modules/access/storage-ports.js';
import { signTrustUpdate } from '../../modules/access/trust-store.js';
import { Status } from '../../modules/channel/status.js';
import { sliceArea } from '../../modules/storage/area-slice.js';
import { openStorage } from '../../modules/storage/storage.js';
import { NorFlash, PowerCut } from '../../host/sim/nor-flash.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';
import { Prng } from '../../host/lib/prng.js';
import { crypto, ed25519Pair, x25519Pair } from '../../host/fixtures/access-device.js';

const SECTORS = 6;

class FlashDevice {
  readonly flash = new NorFlash({ size: 2 * SECTORS * 4096, eraseSize: 4096, writeSize: 4 });
  readonly clock = new VirtualClock(0);
  readonly prng = new Prng(3);
  readonly root = ed25519Pair(this.prng);
  access!: AccessControl;
  gate!: AccessGate;

  boot(): this {
    this.flash.powerOn();
    const storage = openStorage(
      { records: sliceArea(this.flash, 0, SECTORS), audit: sliceArea(this.flash, SECTORS, SECTORS) },
      { crypto: { ...crypto, randomBytes: (n) => this.prng.bytes(n) }, now: () => 0 },
    );
    this.access = new AccessControl({
      ...storagePorts(storage), clock: this.clock, crypto: { ...crypto, randomBytes: (n) => this.prng.bytes(n) },
      trustConfig: { roots: [toHex(this.root.publicKey)], revoked: [] },
    });
    this.gate = new AccessGate(this.access);
    return this;
  }

  /** One IK attempt by a stranger: admission, then a refused peer. Returns the status. */
  strangerAttempt(): number {
    const admitted = this.gate.admit({ pattern: 'IK', now: this.clock.now() });
    if (admitted !== Status.OK) return admitted;
    const r = this.gate.authenticatePeer({ pattern: 'IK', remoteStatic: x25519Pair(this.prng).publicKey, payload: new Uint8Array(0), handshakeHash: new Uint8Array(32), now: this.clock.now() });
    return r.ok ? Status.OK : r.status;
  }
}

describe('access: over the real storage', () => {
  it('keeps identity, bonds, trust state, alerts and the lockout across reboots', () => {
    const d = new FlashDevice().boot();
    const staticPublic = d.access.identity.identity().staticPublic;
    d.access.presence.set(true);
    d.clock.advance(PAIRING.HOLD_MIN_MS);
    d.access.presence.set(false);
    const phone = x25519Pair(d.prng).publicKey;
    assert.equal(d.gate.admit({ pattern: 'XX', now: 0 }), Status.OK);
    const bonded = d.gate.authenticatePeer({ pattern: 'XX', remoteStatic: phone, payload: new Uint8Array(0), handshakeHash: new Uint8Array(32), now: 0 });
    assert.ok(bonded.ok && bonded.principal.role === 'patient');
    const rotation = ed25519Pair(d.prng);
    assert.equal(d.access.trust.applyUpdate(signTrustUpdate(crypto, d.root, { sequence: 1, rotationRoot: rotation.publicKey, revoked: [new Uint8Array(8).fill(5)] })), 0);
    assert.equal(d.access.time.set(1_800_000_000, { vouches: true }).ok, true);
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) assert.equal(d.strangerAttempt(), Status.AUTH_FAILED);
    assert.equal(d.strangerAttempt(), 40 /* LOCKED_OUT */);

    d.boot(); // reboot: everything above is read back from flash
    assert.deepEqual(d.access.identity.identity().staticPublic, staticPublic, 'same device key');
    assert.deepEqual(d.access.deps.bonds.list().map((b) => toHex(b.staticKey)), [toHex(phone)]);
    assert.deepEqual(d.access.trust.slots().map((s) => toHex(s.publicKey)), [toHex(d.root.publicKey), toHex(rotation.publicKey)]);
    assert.equal(d.access.time.floor(), 1_800_000_000);
    assert.equal(d.access.lockout.streak(), LOCKOUT.FREE_FAILURES);
    assert.equal(d.strangerAttempt(), 40, 'still locked out after reboot');
    assert.deepEqual(d.access.alerts.pending('patient').map((a) => a.kind), ['lockout', 'bond-added']);
    const events = d.access.deps.auditReader.read(1, 64).length;
    assert.ok(events >= 6, `${events} audit entries`);
  });

  it('never shortens the lockout when power fails at any flash operation of a failure (also torn)', () => {
    // Measure the flash operations of the 3rd failure (the one that starts the lockout).
    const probe = new FlashDevice().boot();
    for (let i = 0; i < LOCKOUT.FREE_FAILURES - 1; i++) probe.strangerAttempt();
    const before = probe.flash.ops;
    probe.strangerAttempt();
    const opsInFailure = probe.flash.ops - before;
    assert.ok(opsInFailure > 0);
    let cuts = 0;
    for (let at = 1; at <= opsInFailure; at++) {
      for (const torn of [false, true]) {
        const d = new FlashDevice().boot();
        for (let i = 0; i < LOCKOUT.FREE_FAILURES - 1; i++) d.strangerAttempt();
        const streakBefore = d.access.lockout.streak();
        d.flash.armPowerCut({ at: d.flash.ops + at, torn, seed: at });
        assert.throws(() => d.strangerAttempt(), PowerCut);
        d.flash.armPowerCut(undefined);
        d.boot();
        const streak = d.access.lockout.streak();
        assert.ok(streak === streakBefore || streak === streakBefore + 1, `cut at op ${at}${torn ? ' torn' : ''}: streak ${streak}`);
        if (streak === LOCKOUT.FREE_FAILURES) assert.equal(d.strangerAttempt(), 40);
        cuts++;
      }
    }
    assert.equal(cuts, 2 * opsInFailure);
  });
});
