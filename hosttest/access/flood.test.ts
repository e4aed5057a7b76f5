// Simulated 24-hour connection floods against the real channel responder and access gate, with
// every crypto operation the device runs charged to the energy meter (metered-crypto.ts) and
// every connection and packet charged as radio work. The attacker connects every 100 ms whenever
// the device is connectable. Pass: the extra energy stays below 1% of the daily budget, and no
// attempt cost more than admission reserved for it.
import assert from 'node:assert/strict';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { encodeClaims } from '../../modules/access/certificate.js';
import { DAILY_BUDGET_UJ, EnergyMeter, HANDSHAKE_WORST_UJ } from '../../modules/access/energy.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { meteredCrypto } from '../../modules/access/metered-crypto.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import { fragmentMessage, MAX_MESSAGE_BYTES, MessageType, MIN_ATT_MTU } from '../../modules/channel/framing.js';
import { ChannelResponder } from '../../modules/channel/responder.js';
import { utf8 } from '../../modules/core/bytes.js';
import { signSign1 } from '../../modules/core/cose.js';
import { ChannelInitiator } from '../../programmer/initiator.js';
import { firmwareCommands } from './firmware-commands.js';
import { crypto, Device, ed25519Pair, NOW, x25519Pair, YEAR } from '../../host/fixtures/access-device.js';

const DAY_MS = 86_400_000;
const ATTEMPT_EVERY_MS = 100;

function packets(type: number, body: Uint8Array): number {
  return fragmentMessage(type, body, MIN_ATT_MTU).length;
}

interface FloodResult {
  connections: number;
  extraUj: number;
  worstAttemptUj: number;
  meter: EnergyMeter;
  device: Device;
}

/** Runs 24 h of attempts; `hello(n, device)` is the attacker's n-th HELLO body. */
function flood(seed: number, hello: (n: number, device: Device) => Uint8Array): FloodResult {
  const meter = new EnergyMeter();
  const d = new Device(seed, meteredCrypto(crypto, meter));
  const gate = new AccessGate(d.access);
  const identity = d.access.identity.identity();
  const staticKey = { publicKey: identity.staticPublic, secretKey: identity.staticSecret };
  const dispatcher = new CommandDispatcher({ commands: firmwareCommands(d), policy: d.access.authorizer });
  const baseline = meter.totalUj(); // making the device identity is not part of the flood
  let connections = 0;
  let worstAttemptUj = 0;
  for (let t = 0; t < DAY_MS; t += ATTEMPT_EVERY_MS) {
    d.clock.runUntil(t);
    if (!gate.connectable()) continue; // not advertising as connectable: the attempt never reaches the device
    const before = meter.totalUj();
    meter.charge('radio.connection');
    connections++;
    if (gate.admitConnection() !== 0) continue;
    const responder = new ChannelResponder({
      crypto: meteredCrypto(crypto, meter), clock: d.clock, staticKey, gate, dispatcher, physicalPresence: () => false,
      send: (type, body) => meter.charge('radio.packet', packets(type, body)),
      disconnect: () => {}, sessionId: connections,
    });
    const body = hello(connections, d);
    meter.charge('radio.packet', packets(MessageType.HELLO, body));
    responder.receive({ type: MessageType.HELLO, body });
    responder.linkLost(); // the attacker has nothing more to send
    worstAttemptUj = Math.max(worstAttemptUj, meter.totalUj() - before);
  }
  return { connections, extraUj: meter.totalUj() - baseline, worstAttemptUj, meter, device: d };
}

function report(label: string, r: FloodResult): void {
  const share = r.extraUj / DAILY_BUDGET_UJ;
  console.log(`      ${label}: ${r.connections} connections reached the device, ${(r.extraUj / 1000).toFixed(1)} mJ = ` +
    `${(share * 100).toFixed(3)}% of the ${DAILY_BUDGET_UJ / 1e6} J daily budget; costliest attempt ` +
    `${(r.worstAttemptUj / 1000).toFixed(2)} mJ (reserved ${(HANDSHAKE_WORST_UJ / 1000).toFixed(2)} mJ); ` +
    `counter writes ${r.device.counters.writes}`);
  assert.ok(share < 0.01, `extra energy ${share * 100}% of the daily budget`);
  assert.ok(r.worstAttemptUj <= HANDSHAKE_WORST_UJ, 'admission reserved at least what each attempt cost');
}

describe('access: 24-hour floods', function () {
  this.timeout(120_000);

  it('forged certificates, XX attempts and maximum-size garbage: extra energy below 1% of the daily budget', () => {
    // A forged certificate: well formed, names the device's real root, signed by another key, so
    // the device runs two DH and a signature check before refusing it.
    const prngKeys = new Device(70);
    const forger = ed25519Pair(prngKeys.prng);
    const attacker = x25519Pair(prngKeys.prng);
    const r = flood(7, (n, d) => {
      if (n % 3 === 2) return d.prng.bytes(MAX_MESSAGE_BYTES); // garbage of the largest size: the radio's worst case
      if (n % 3 === 1) return new ChannelInitiator({ crypto, pattern: 'XX', staticKey: attacker, certificate: new Uint8Array(0) }).hello();
      const forged = signSign1(crypto.ed25519, forger.secretKey,
        encodeClaims({ role: 'clinician', subjectKey: attacker.publicKey, serial: new Uint8Array([1]), notBefore: NOW, notAfter: NOW + YEAR }),
        { kid: keyIdOf(crypto.sha256, d.root.publicKey), externalAad: utf8('implant/cert/v1') });
      return new ChannelInitiator({ crypto, pattern: 'IK', staticKey: attacker, certificate: forged, deviceStatic: d.access.identity.identity().staticPublic }).hello();
    });
    report('forged/XX/garbage flood', r);
    console.log(`      by operation (uJ): ${JSON.stringify(r.meter.byOp())}`);
    assert.ok((r.meter.byOp()['crypto.ed25519.verify'] ?? 0) > 0, 'the flood did reach the expensive path');
    assert.ok(r.device.counters.writes < 200, 'flash wear stays bounded');
  });

  it('a replayed genuine clinician HELLO: authenticates, yet earns no refund, so the bound holds', () => {
    let captured: Uint8Array | undefined;
    const r = flood(8, (_n, d) => {
      if (!captured) {
        // The attacker recorded one real IK first message of a clinician (it carries a valid certificate).
        const clinician = d.programmer('clinician');
        captured = new ChannelInitiator({ crypto, pattern: 'IK', staticKey: clinician.static, certificate: clinician.cert, deviceStatic: d.access.identity.identity().staticPublic }).hello();
      }
      return captured;
    });
    report('replay flood', r);
    assert.ok(r.device.audit.of('auth.ok').length > 3, 'the replays did authenticate (and never carried a command)');
  });
});
