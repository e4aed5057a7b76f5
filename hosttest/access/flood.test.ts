// Simulated 24-hour connection floods against the firmware as it ships: startFirmware on a
// simulated board (host/board/sim-board.ts), the real GATT adapter over the BLE shim, with every
// crypto operation the device runs charged to the energy meter (metered-crypto.ts) and every
// connection and link-layer packet charged as radio work. The attacker tries to connect every
// 100 ms; it gets a connection only while the device advertises connectably. Pass: the extra
// energy stays below 1% of the daily budget, and no attempt cost more than admission reserved.
// @req SEC-03 (docs/traceability.md)
import assert from 'node:assert/strict';
import { encodeClaims } from '../../modules/access/certificate.js';
import { DAILY_BUDGET_UJ, EnergyMeter, HANDSHAKE_WORST_UJ } from '../../modules/access/energy.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { fragmentMessage, MAX_MESSAGE_BYTES, MessageType } from '../../modules/channel/framing.js';
import { utf8 } from '../../modules/core/bytes.js';
import { signSign1 } from '../../modules/core/cose.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ChannelInitiator } from '../../programmer/initiator.js';
import { SimulatedCentral } from '../../host/ble/radio.js';
import { run, yieldTurns } from '../../host/board/drive.js';
import { programmerIdentity } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { ROOT, STRANGER } from '../../host/fixtures/update-fixture.js';
import { Prng } from '../../host/lib/prng.js';

const DAY_MS = 86_400_000;
const ATTEMPT_EVERY_MS = 100;
/** Storage flash programs of a day without attacker (the firmware's own records: operating time, ...); the first test measures it. */
let quietPrograms = 0;

interface FloodResult {
  connections: number;
  extraUj: number;
  worstAttemptUj: number;
  meter: EnergyMeter;
  /** Storage flash erases and programs during the flood. */
  erases: number;
  programs: number;
  booted: Booted;
}

/** One attempt: connect at the smallest MTU, send the HELLO if admitted, take the answers, leave. */
function attempt(b: Booted, meter: EnergyMeter, hello: Uint8Array): void {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  meter.charge('radio.connection');
  b.clock.advance(0); // a refused connection is dropped on the stack's next turn
  if (!central.connected) return;
  central.enableNotifications(IMPLANT_GATT.response);
  for (const fragment of fragmentMessage(MessageType.HELLO, hello, central.mtu)) {
    if (!central.connected) break;
    central.write(IMPLANT_GATT.control, fragment);
    meter.charge('radio.packet');
  }
  b.clock.advance(0);
  meter.charge('radio.packet', central.notifications.length);
  central.disconnect(); // the attacker has nothing more to send
}

/** Runs 24 h of attempts; `hello(n, b)` is the attacker's n-th HELLO body. */
async function flood(seed: number, hello: (n: number, b: Booted) => Uint8Array): Promise<FloodResult> {
  const meter = new EnergyMeter();
  const board = new SimBoard({ seed, meter });
  const b = board.boot();
  await run(b.clock, 1000); // boot, storage mount, identity, first advertising
  const baseline = meter.totalUj();
  const flash = { erases: board.storageFlash.erases, programs: board.storageFlash.programs };
  let connections = 0;
  let worstAttemptUj = 0;
  const start = b.clock.now();
  for (let t = start; t < start + DAY_MS; t += ATTEMPT_EVERY_MS) {
    b.clock.runUntil(t);
    if (t % 10_000 === 0) await yieldTurns(1);
    if (b.radio.advertising?.connectable !== true) continue; // silent: the attempt never reaches the device
    const before = meter.totalUj();
    connections++;
    attempt(b, meter, hello(connections, b));
    worstAttemptUj = Math.max(worstAttemptUj, meter.totalUj() - before);
  }
  b.firmware.stop();
  return {
    connections, extraUj: meter.totalUj() - baseline, worstAttemptUj, meter, booted: b,
    erases: board.storageFlash.erases - flash.erases, programs: board.storageFlash.programs - flash.programs,
  };
}

function report(label: string, r: FloodResult): void {
  const share = r.extraUj / DAILY_BUDGET_UJ;
  console.log(`      ${label}: ${r.connections} connections reached the device, ${(r.extraUj / 1000).toFixed(1)} mJ = ` +
    `${(share * 100).toFixed(3)}% of the ${DAILY_BUDGET_UJ / 1e6} J daily budget; costliest attempt ` +
    `${(r.worstAttemptUj / 1000).toFixed(2)} mJ (reserved ${(HANDSHAKE_WORST_UJ / 1000).toFixed(2)} mJ); ` +
    `storage flash ${r.erases} erases, ${r.programs - quietPrograms} programs more than a quiet day`);
  assert.ok(r.connections > 0, 'the attacker did reach the device');
  assert.ok(share < 0.01, `extra energy ${share * 100}% of the daily budget`);
  assert.ok(r.worstAttemptUj <= HANDSHAKE_WORST_UJ, 'admission reserved at least what each attempt cost');
  assert.ok(r.erases === 0 && r.programs - quietPrograms < 100, 'flash wear stays bounded (only admitted handshakes and the first refusal of a run are written)');
}

const sessionsOpened = (b: Booted): number => b.console.filter((e) => e.topic === 'session' && e.text.startsWith('session-opened')).length;

describe('access: 24-hour floods against the assembled firmware', function () {
  this.timeout(300_000);

  it('a day with no attacker costs no crypto or radio energy (the baseline the floods are measured on)', async () => {
    const meter = new EnergyMeter();
    const board = new SimBoard({ seed: 6, meter });
    const b = board.boot();
    await run(b.clock, 1000);
    const baseline = meter.totalUj();
    const programs = board.storageFlash.programs;
    for (let t = 1000; t < 1000 + DAY_MS; t += 10_000) {
      b.clock.runUntil(t);
      await yieldTurns(1);
    }
    b.firmware.stop();
    assert.equal(meter.totalUj() - baseline, 0, JSON.stringify(meter.byOp()));
    quietPrograms = board.storageFlash.programs - programs;
    console.log(`      quiet day: 0 uJ, storage flash ${quietPrograms} programs, ${board.storageFlash.erases} erases`);
  });

  it('forged certificates, XX attempts and maximum-size garbage: extra energy below 1% of the daily budget', async () => {
    // A forged certificate: well formed, names the board's real root, signed by another key, so
    // the device runs two DH and a signature check before refusing it.
    const attacker = programmerIdentity('clinician', 70).staticKey;
    const garbage = new Prng(7);
    const forged = signSign1(crypto.ed25519, STRANGER.secretKey,
      encodeClaims({ role: 'clinician', subjectKey: attacker.publicKey, serial: new Uint8Array([1]), notBefore: 0, notAfter: 4_000_000_000 }),
      { kid: keyIdOf(crypto.sha256, ROOT.publicKey), externalAad: utf8('implant/cert/v1') });
    const r = await flood(7, (n, b) => {
      if (n % 3 === 2) return garbage.bytes(MAX_MESSAGE_BYTES); // garbage of the largest size: the radio's worst case
      if (n % 3 === 1) return new ChannelInitiator({ crypto, pattern: 'XX', staticKey: attacker, certificate: new Uint8Array(0) }).hello();
      return new ChannelInitiator({ crypto, pattern: 'IK', staticKey: attacker, certificate: forged, deviceStatic: b.firmware.access!.identity.identity().staticPublic }).hello();
    });
    report('forged/XX/garbage flood', r);
    console.log(`      by operation (uJ): ${JSON.stringify(r.meter.byOp())}`);
    assert.ok((r.meter.byOp()['crypto.ed25519.verify'] ?? 0) > 0, 'the flood did reach the expensive path');
    assert.equal(sessionsOpened(r.booted), 0, 'no forged session opened');
  });

  it('a replayed genuine clinician HELLO: authenticates, yet earns no refund, so the bound holds', async () => {
    let captured: Uint8Array | undefined;
    const r = await flood(8, (_n, b) => {
      if (!captured) {
        // The attacker recorded one real IK first message of a clinician (it carries a valid certificate).
        const clinician = programmerIdentity('clinician');
        captured = new ChannelInitiator({ crypto, pattern: 'IK', staticKey: clinician.staticKey, certificate: clinician.certificate, deviceStatic: b.firmware.access!.identity.identity().staticPublic }).hello();
      }
      return captured;
    });
    report('replay flood', r);
    assert.ok(sessionsOpened(r.booted) > 3, 'the replays did authenticate (and never carried a command)');
  });
});
