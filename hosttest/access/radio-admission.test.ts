// Radio-level admission of the assembled firmware (startFirmware on a simulated board, the real
// GATT adapter over the BLE shim): the device advertises only while a connection could be
// admitted, so a lockout or an energy bucket that cannot pay for a handshake silences it, and
// every connection is charged to the bucket before the central can send anything.
// @req SEC-03 (docs/traceability.md)
import assert from 'node:assert/strict';
import { ADMISSION } from '../../modules/access/admission.js';
import { encodeClaims } from '../../modules/access/certificate.js';
import { CONNECTION_WORST_UJ, HANDSHAKE_WORST_UJ } from '../../modules/access/energy.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { LOCKOUT } from '../../modules/access/lockout.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { ADMISSION_RECHECK_MS } from '../../modules/ble/device-gatt.js';
import { fragmentMessage, MessageType } from '../../modules/channel/framing.js';
import { utf8 } from '../../modules/core/bytes.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { signSign1 } from '../../modules/core/cose.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ChannelInitiator } from '../../programmer/initiator.js';
import { SimulatedCentral } from '../../host/ble/radio.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { ROOT, STRANGER } from '../../host/fixtures/update-fixture.js';

const DAY_MS = 86_400_000;
const BUCKET_UJ = ADMISSION.BURST_HANDSHAKES * HANDSHAKE_WORST_UJ;

const advertising = (b: Booted): boolean => b.radio.advertising?.connectable === true;

/** A central connects (throws when nothing connectable advertises), optionally sends a HELLO, and leaves. */
async function visit(b: Booted, hello?: Uint8Array): Promise<void> {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  for (const fragment of hello ? fragmentMessage(MessageType.HELLO, hello, central.mtu) : []) {
    if (central.connected) central.write(IMPLANT_GATT.control, fragment);
  }
  await run(b.clock, 50);
  central.disconnect();
  await run(b.clock, 10);
}

/** An IK HELLO with a well-formed clinician certificate naming the board's root but signed by another key. */
function forgedHello(b: Booted): Uint8Array {
  const attacker = programmerIdentity('clinician', 77).staticKey;
  const forged = signSign1(crypto.ed25519, STRANGER.secretKey,
    encodeClaims({ role: 'clinician', subjectKey: attacker.publicKey, serial: new Uint8Array([1]), notBefore: 0, notAfter: 4_000_000_000 }),
    { kid: keyIdOf(crypto.sha256, ROOT.publicKey), externalAad: utf8('implant/cert/v1') });
  return new ChannelInitiator({ crypto, pattern: 'IK', staticKey: attacker, certificate: forged, deviceStatic: b.firmware.access!.identity.identity().staticPublic }).hello();
}

/** Runs the clock in 1 s steps until `done` or `limitMs`; returns the time it took. */
async function until(b: Booted, done: () => boolean, limitMs: number): Promise<number> {
  const start = b.clock.now();
  while (!done() && b.clock.now() - start < limitMs) await run(b.clock, 1000, 1000);
  return b.clock.now() - start;
}

describe('access: radio admission through the assembled firmware over the BLE shim', function () {
  this.timeout(120_000);

  it('charges every bare connection: silent once the bucket cannot pay for a handshake, advertising again after the refill', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    assert.ok(advertising(b));
    // Connections that never send a byte still reserve their radio work.
    let connections = 0;
    while (advertising(b) && connections < 50) {
      await visit(b);
      connections++;
    }
    const expected = Math.floor((BUCKET_UJ - HANDSHAKE_WORST_UJ) / CONNECTION_WORST_UJ) + 1;
    assert.equal(connections, expected, `the bucket (${BUCKET_UJ} uJ) pays for ${expected} connections of ${CONNECTION_WORST_UJ} uJ before one handshake no longer fits`);
    assert.throws(() => new SimulatedCentral(b.radio).connect(), /no connectable advertiser/, 'nothing to connect to');
    assert.ok(b.console.some((e) => e.topic === 'radio' && e.text.startsWith('not advertising')), 'the console says why');
    // The refill brings the level back to one handshake after (missing / allowance) of a day.
    const missing = HANDSHAKE_WORST_UJ - (BUCKET_UJ - connections * CONNECTION_WORST_UJ);
    const refillMs = (missing * DAY_MS) / ADMISSION.ALLOWANCE_PER_DAY_UJ;
    const waited = await until(b, () => advertising(b), refillMs + 60_000);
    assert.ok(advertising(b), 'advertises again once the bucket refilled');
    assert.ok(Math.abs(waited - refillMs) <= 60_000, `silent for ${waited} ms, the refill takes ${Math.round(refillMs)} ms`);
    b.firmware.stop();
  });

  it('while the bucket is empty, physical presence makes it connectable at once (and a session opens)', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    while (advertising(b)) await visit(b);
    b.button(true);
    await run(b.clock, ADMISSION_RECHECK_MS + 10);
    assert.ok(advertising(b), 'presence bypasses the bucket');
    const s = await programmerSession(b);
    const whoami = await settle(b.clock, s.client.request('access.whoami'));
    assert.equal((whoami.result as CborMap).get('role'), 'clinician');
    s.central.disconnect();
    b.firmware.stop();
  });

  it('locked out: stops advertising for the backoff although the bucket is full, and advertises again when it ends', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 1000);
    const access = b.firmware.access!;
    // Under presence the attempts cost the bucket nothing, but each forged certificate still counts.
    b.button(true);
    for (let i = 0; i < LOCKOUT.FREE_FAILURES; i++) await visit(b, forgedHello(b));
    assert.equal(access.lockout.streak(), LOCKOUT.FREE_FAILURES, 'three failed handshakes');
    assert.ok(access.lockout.isLocked() && advertising(b), 'presence keeps it connectable');
    b.button(false);
    await run(b.clock, ADMISSION_RECHECK_MS + 10);
    assert.ok(!advertising(b), 'stops advertising as soon as presence ends while locked out');
    assert.throws(() => new SimulatedCentral(b.radio).connect(), /no connectable advertiser/);
    const remaining = access.lockout.lockedUntil() - b.clock.now();
    assert.ok(remaining > 0 && remaining <= LOCKOUT.BASE_MS);
    const waited = await until(b, () => advertising(b), LOCKOUT.BASE_MS + 5000);
    assert.ok(advertising(b), 'advertises again after the backoff');
    assert.ok(waited >= remaining && waited <= remaining + ADMISSION_RECHECK_MS + 1000, `silent ${waited} ms for a ${remaining} ms lockout`);
    b.firmware.stop();
  });
});
