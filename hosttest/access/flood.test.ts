// A simulated 24-hour connection flood against the real channel responder and access gate, with
// every crypto operation the device runs charged to the energy meter (metered-crypto.ts) and
// every connection and packet charged as radio work. The attacker tries to connect every 100 ms
// whenever the device is connectable, mixing the costliest handshake it can force (IK to the
// device's real key, carrying a forged certificate that names the real root, so the device runs
// two DH and a signature check), XX attempts, and garbage. Pass: the extra energy stays below 1%
// of the daily budget, and no handshake cost more than admission reserved for it.
import assert from 'node:assert/strict';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { accessCommands } from '../../modules/access/commands.js';
import { DAILY_BUDGET_UJ, EnergyMeter, HANDSHAKE_WORST_UJ } from '../../modules/access/energy.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { encodeClaims } from '../../modules/access/certificate.js';
import { meteredCrypto } from '../../modules/access/metered-crypto.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import { fragmentMessage, MessageType, MIN_ATT_MTU } from '../../modules/channel/framing.js';
import { ChannelResponder } from '../../modules/channel/responder.js';
import { signSign1 } from '../../modules/core/cose.js';
import { utf8 } from '../../modules/core/bytes.js';
import { ChannelInitiator } from '../../modules/programmer/initiator.js';
import { crypto, Device, ed25519Pair, NOW, x25519Pair, YEAR } from './harness.js';

const DAY_MS = 86_400_000;
const ATTEMPT_EVERY_MS = 100;

function packets(type: number, body: Uint8Array): number {
  return fragmentMessage(type, body, MIN_ATT_MTU).length;
}

describe('access: 24-hour flood', function () {
  this.timeout(120_000);

  it('keeps the extra energy below 1% of the daily budget', () => {
    const meter = new EnergyMeter();
    const device = meteredCrypto(crypto, meter);
    const d = new Device(7, device);
    const provisioning = meter.totalUj(); // making the device identity is not part of the flood
    const gate = new AccessGate(d.access);
    const identity = d.access.identity.identity();
    const deviceKey = { publicKey: identity.staticPublic, secretKey: identity.staticSecret };
    const dispatcher = new CommandDispatcher({ commands: accessCommands(d.access), policy: d.access.authorizer });
    // A forged certificate: well formed, names the device's real root, signed by another key.
    const forger = ed25519Pair(d.prng);
    const attackerStatic = x25519Pair(d.prng);
    const forged = signSign1(crypto.ed25519, forger.secretKey,
      encodeClaims({ role: 'clinician', subjectKey: attackerStatic.publicKey, serial: new Uint8Array([1]), notBefore: NOW, notAfter: NOW + YEAR }),
      { kid: keyIdOf(crypto.sha256, d.root.publicKey), externalAad: utf8('implant/cert/v1') });

    let connections = 0;
    let handshakes = 0;
    let worstHandshake = 0;
    let sessionId = 0;
    for (let t = 0; t < DAY_MS; t += ATTEMPT_EVERY_MS) {
      d.clock.runUntil(t);
      if (!gate.connectable()) continue; // not advertising as connectable: the attempt never reaches the device
      connections++;
      const before = meter.totalUj();
      meter.charge('radio.connection');
      if (gate.admitConnection() !== 0) continue;
      const responder = new ChannelResponder({
        crypto: device, clock: d.clock, staticKey: deviceKey, gate, dispatcher, physicalPresence: () => false,
        send: (type, body) => meter.charge('radio.packet', packets(type, body)),
        disconnect: () => {}, sessionId: ++sessionId,
      });
      const kind = connections % 3;
      const hello = kind === 0
        ? new ChannelInitiator({ crypto, pattern: 'IK', staticKey: attackerStatic, certificate: forged, deviceStatic: identity.staticPublic }).hello()
        : kind === 1
          ? new ChannelInitiator({ crypto, pattern: 'XX', staticKey: attackerStatic, certificate: forged }).hello()
          : d.prng.bytes(60);
      meter.charge('radio.packet', packets(MessageType.HELLO, hello));
      const outcome = responder.receive({ type: MessageType.HELLO, body: hello });
      assert.equal(outcome, 'ended', 'no attacker session opens');
      responder.linkLost();
      if (kind === 0) handshakes++;
      worstHandshake = Math.max(worstHandshake, meter.totalUj() - before);
    }

    const extra = meter.totalUj() - provisioning;
    const share = extra / DAILY_BUDGET_UJ;
    console.log(`      24 h flood: ${connections} connections reached the device (${handshakes} forged-certificate handshakes), ` +
      `${(extra / 1000).toFixed(1)} mJ = ${(share * 100).toFixed(3)}% of the ${DAILY_BUDGET_UJ / 1e6} J daily budget; ` +
      `costliest attempt ${(worstHandshake / 1000).toFixed(2)} mJ (reserved ${(HANDSHAKE_WORST_UJ / 1000).toFixed(2)} mJ)`);
    console.log(`      by operation (uJ): ${JSON.stringify(meter.byOp())}; counter writes: ${d.counters.writes}`);
    assert.ok(share < 0.01, `extra energy ${share * 100}% of the daily budget`);
    assert.ok(worstHandshake <= HANDSHAKE_WORST_UJ, 'admission reserved at least what each attempt cost');
    assert.ok(handshakes > 0 && meter.byOp()['crypto.ed25519.verify'] > 0, 'the flood did reach the expensive path');
    assert.ok(d.counters.writes < 200, `${d.counters.writes} counter writes: flash wear stays bounded`);
  });
});
