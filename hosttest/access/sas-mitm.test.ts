// The pairing code against a man in the middle (docs/access-control.md, "Comparing codes"). He
// runs two XX handshakes, one with the phone (posing as the implant) and one with the implant
// (posing as the phone), and wins if both ends show the same code. On the implant leg he writes
// message 3 last, so he can try many message-3 values (static keys) and pick the handshake hash
// he likes: a code that is a function of h alone can be ground. The commitment exchange
// (sas.ts, pairing-code.ts) takes that lever away: he must commit to his nonce before the
// device draws its own, and the code covers both.
// @req SEC-07 (docs/traceability.md)
import assert from 'node:assert/strict';
import { PairingCodeExchange, PAIRING_CODE } from '../../modules/access/pairing-code.js';
import { pairingCode, pairingCommitment, PAIRING_NONCE_BYTES, sasBlinkGroups } from '../../modules/access/sas.js';
import { AccessStatus } from '../../modules/access/status.js';
import { concatBytes, utf8 } from '../../modules/core/bytes.js';
import { Status } from '../../modules/channel/status.js';
import { HandshakeState } from '../../modules/channel/noise/handshake-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import { crypto, keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';
import { VirtualClock } from '../../host/sim/virtual-clock.js';

const suite = noiseSuite(crypto, 'AESGCM');
const prologue = new Uint8Array(0);
const EMPTY = new Uint8Array(0);
const sha256 = crypto.sha256;

const initiator = (staticKey: KeyPair, ephemeral: KeyPair) => new HandshakeState({ suite, pattern: 'XX', initiator: true, prologue, staticKey, ephemeral });
const responder = (prng: Prng) => new HandshakeState({ suite, pattern: 'XX', initiator: false, prologue, staticKey: keyPair(prng), ephemeral: keyPair(prng) });

/** Runs a whole XX handshake between two fresh states; returns both ends' handshake hashes. */
function xx(initiatorSeed: number, responderSeed: number): { initiator: Uint8Array; responder: Uint8Array } {
  const a = new Prng(initiatorSeed);
  const i = initiator(keyPair(a), keyPair(a));
  const r = responder(new Prng(responderSeed));
  let [from, to] = [i, r];
  while (!i.isComplete || !r.isComplete) {
    to.readMessage(from.writeMessage(EMPTY));
    [from, to] = [to, from];
  }
  return { initiator: i.handshakeHash, responder: r.handshakeHash };
}

/** The device's exchange over in-memory bonds, audit and console. */
function deviceExchange(nonces: Prng) {
  const clock = new VirtualClock();
  const bonds = new Set<string>(['bonded']);
  const display: string[] = [];
  const audit: string[] = [];
  const alerts: string[] = [];
  const exchange = new PairingCodeExchange({
    alerts: { raise: (kind) => void alerts.push(kind) },
    clock,
    crypto: { ...crypto, randomBytes: (n: number) => nonces.bytes(n) },
    bonds: { list: () => [], add: () => {}, remove: () => bonds.delete('bonded') },
    audit: { append: (e) => void audit.push(e.type) },
    display: (line) => void display.push(line),
  });
  return { clock, bonds, display, audit, alerts, exchange };
}

const KEY_ID = new Uint8Array(8).fill(7);

/** The honest phone's half against `device`, for the handshake hash `h` both ends share. */
function runExchange(device: ReturnType<typeof deviceExchange>, h: Uint8Array, phoneNonce: Uint8Array): string {
  const session = { handshakeHash: h, keyId: KEY_ID };
  device.exchange.bonded(h, KEY_ID);
  const committed = device.exchange.commit(session, pairingCommitment(sha256, h, phoneNonce));
  assert.ok(committed.ok);
  assert.equal(device.exchange.reveal(session, phoneNonce), Status.OK);
  return pairingCode(sha256, h, phoneNonce, committed.deviceNonce);
}

/** What a code over h alone (the scheme before the commitment) would have shown. */
const hashOnlyCode = (h: Uint8Array) => {
  const d = sha256(concatBytes(utf8('implant/sas/v1'), h));
  return String((((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0) % 1e6).padStart(6, '0');
};

describe('pairing code against a man in the middle', () => {
  it('is the same at both ends of one handshake, and the device shows it only after the reveal', () => {
    const direct = xx(1, 2);
    const device = deviceExchange(new Prng(3));
    const phoneNonce = new Prng(4).bytes(PAIRING_NONCE_BYTES);
    const code = runExchange(device, direct.responder, phoneNonce);
    assert.match(code, /^\d{6}$/);
    assert.deepEqual(device.display, [`pairing code ${code}`]);
    assert.equal(pairingCode(sha256, direct.initiator, phoneNonce, new Prng(3).bytes(PAIRING_NONCE_BYTES)), code, 'the phone computes the same digits');
    assert.deepEqual(device.audit, ['bond.confirmed']);
    assert.deepEqual(sasBlinkGroups('105093'), [1, 10, 5, 10, 9, 3]);
  });

  it('differs between the phone and the implant when someone relays two handshakes', () => {
    for (let seed = 10; seed < 40; seed += 2) {
      const phoneLeg = xx(seed, 1000 + seed); // phone ↔ attacker (posing as the implant)
      const implantLeg = xx(2000 + seed, seed + 1); // attacker (posing as the phone) ↔ implant
      const nonce = new Prng(seed).bytes(PAIRING_NONCE_BYTES);
      const phone = runExchange(deviceExchange(new Prng(3000 + seed)), phoneLeg.initiator, nonce);
      const implant = runExchange(deviceExchange(new Prng(4000 + seed)), implantLeg.responder, nonce);
      assert.notEqual(phone, implant, `seed ${seed}: phone and implant show different codes`);
    }
  });

  it('cannot be chosen by grinding message 3: the ground hash steers a code over h alone, never the committed one', () => {
    const RUNS = 40;
    const MAX_TRIES = 48;
    let hashOnlyHits = 0;
    let committedHits = 0;
    let tries = 0;
    for (let run = 0; run < RUNS; run++) {
      const attacker = new Prng(5000 + run);
      const target = String(run % 10); // the last digit of the phone leg's code, which he knows
      const implant = responder(new Prng(6000 + run));
      const ephemeral = keyPair(attacker);
      const m1 = initiator(keyPair(attacker), ephemeral).writeMessage(EMPTY);
      implant.readMessage(m1);
      const m2 = implant.writeMessage(EMPTY);
      // Every message-3 candidate is a fresh static key on the same e and the implant's message 2.
      const candidate = () => {
        const state = initiator(keyPair(attacker), ephemeral);
        state.writeMessage(EMPTY);
        state.readMessage(m2);
        return { m3: state.writeMessage(EMPTY), h: state.handshakeHash };
      };
      // He keeps the first candidate whose h gives the digit he wants; the committed code offers him no better test.
      let chosen = candidate();
      for (let t = 1; t < MAX_TRIES && !hashOnlyCode(chosen.h).endsWith(target); t++) {
        chosen = candidate();
        tries++;
      }
      implant.readMessage(chosen.m3);
      assert.deepEqual(implant.handshakeHash, chosen.h);
      if (hashOnlyCode(implant.handshakeHash).endsWith(target)) hashOnlyHits++;
      const nonce = attacker.bytes(PAIRING_NONCE_BYTES);
      const device = deviceExchange(new Prng(7000 + run));
      const session = { handshakeHash: implant.handshakeHash, keyId: KEY_ID };
      device.exchange.bonded(implant.handshakeHash, KEY_ID);
      assert.ok(device.exchange.commit(session, pairingCommitment(sha256, implant.handshakeHash, nonce)).ok);
      assert.equal(device.exchange.reveal(session, nonce), Status.OK);
      if (device.display[0].endsWith(target)) committedHits++;
    }
    assert.ok(tries > RUNS, 'he did grind');
    // Against h alone, about 10 candidates pick the digit he wants almost every time.
    assert.ok(hashOnlyHits >= RUNS * 0.9, `a code over h alone follows the grinding (${hashOnlyHits}/${RUNS})`);
    // Against the commitment the digit is the device nonce's: chance (1 in 10), whatever he tried.
    assert.ok(committedHits <= RUNS * 0.3, `the committed code does not follow it (${committedHits}/${RUNS})`);
  });

  it('refuses an exchange out of order, from another session, or with a nonce that does not open the commitment', () => {
    const h = xx(1, 2).responder;
    const nonce = new Prng(8).bytes(PAIRING_NONCE_BYTES);
    const device = deviceExchange(new Prng(9));
    const session = { handshakeHash: h, keyId: KEY_ID };
    assert.equal(device.exchange.commit(session, new Uint8Array(32)).ok, false, 'no bond in progress');
    device.exchange.bonded(h, KEY_ID);
    assert.equal(device.exchange.reveal(session, nonce), Status.INVALID_STATE, 'reveal before commit');
    const other = { handshakeHash: sha256(h), keyId: KEY_ID };
    assert.equal(device.exchange.commit(other, pairingCommitment(sha256, h, nonce)).ok, false, 'another session');
    assert.ok(device.exchange.commit(session, pairingCommitment(sha256, h, nonce)).ok);
    assert.equal(device.exchange.commit(session, pairingCommitment(sha256, h, nonce)).ok, false, 'one commitment only');
    const wrong = nonce.slice();
    wrong[0] ^= 1;
    assert.equal(device.exchange.reveal(session, wrong), AccessStatus.PAIRING_UNCONFIRMED);
    assert.equal(device.bonds.size, 0, 'the bond is removed');
    assert.deepEqual(device.display, ['pairing not confirmed: bond removed']);
    assert.deepEqual(device.alerts, ['bond-removed']);
    assert.equal(device.exchange.reveal(session, nonce), Status.INVALID_STATE, 'no second chance');
  });

  it('removes a bond whose exchange does not complete in time', () => {
    const h = xx(1, 2).responder;
    const device = deviceExchange(new Prng(9));
    device.exchange.bonded(h, KEY_ID);
    device.clock.advance(PAIRING_CODE.CONFIRM_MS - 1);
    assert.equal(device.bonds.size, 1);
    device.clock.advance(1);
    assert.equal(device.bonds.size, 0);
    assert.deepEqual(device.audit, ['bond.unconfirmed-timeout']);
  });
});
