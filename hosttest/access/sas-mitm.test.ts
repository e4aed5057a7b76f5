// A man in the middle of an XX pairing runs two handshakes, one with the phone and one with the
// implant. Each end shows the code of its own handshake hash, so the phone and the implant show
// different codes and a user comparing them sees the attack (docs/access-control.md, "Comparing codes").
import assert from 'node:assert/strict';
import { shortAuthString } from '../../modules/access/sas.js';
import { HandshakeState } from '../../modules/channel/noise/handshake-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import { crypto, keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

const suite = noiseSuite(crypto, 'AESGCM');
const prologue = new Uint8Array(0);

/** Runs a whole XX handshake between two fresh states; returns both ends' handshake hashes. */
function xx(initiatorSeed: number, responderSeed: number): { initiator: Uint8Array; responder: Uint8Array } {
  const a = new Prng(initiatorSeed), b = new Prng(responderSeed);
  const initiator = new HandshakeState({ suite, pattern: 'XX', initiator: true, prologue, staticKey: keyPair(a), ephemeral: keyPair(a) });
  const responder = new HandshakeState({ suite, pattern: 'XX', initiator: false, prologue, staticKey: keyPair(b), ephemeral: keyPair(b) });
  let [from, to] = [initiator, responder];
  while (!initiator.isComplete || !responder.isComplete) {
    to.readMessage(from.writeMessage(new Uint8Array(0)));
    [from, to] = [to, from];
  }
  return { initiator: initiator.handshakeHash, responder: responder.handshakeHash };
}

const code = (h: Uint8Array) => shortAuthString(crypto.sha256, h);

describe('pairing code against a man in the middle', () => {
  it('is the same at both ends of one handshake', () => {
    const direct = xx(1, 2);
    assert.equal(code(direct.initiator), code(direct.responder));
  });

  it('differs between the phone and the implant when someone relays two handshakes', () => {
    for (let seed = 10; seed < 60; seed += 2) {
      const phoneLeg = xx(seed, 1000 + seed); // phone ↔ attacker (posing as the implant)
      const implantLeg = xx(2000 + seed, seed + 1); // attacker (posing as the phone) ↔ implant
      assert.equal(code(phoneLeg.initiator), code(phoneLeg.responder), 'the attacker can match each leg');
      assert.notEqual(code(phoneLeg.initiator), code(implantLeg.responder), `seed ${seed}: phone and implant show different codes`);
    }
  });
});
