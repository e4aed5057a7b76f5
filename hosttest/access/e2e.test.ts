// End to end through the assembled firmware (startFirmware on a simulated board, the real GATT
// adapter over the BLE shim), factory-provisioned; programmers on a simulated central. A
// clinician, a manufacturer, a patient and an emergency programmer each complete what their role
// allows and are refused the rest with the documented codes.
import assert from 'node:assert/strict';
import { PAIRING } from '../../modules/access/pairing.js';
import { EMERGENCY } from '../../modules/access/principal.js';
import { AccessStatus } from '../../modules/access/status.js';
import { BUILD_TIME } from '../../modules/access/trusted-time.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ClientError } from '../../programmer/client.js';
import { exchangePairingCode } from '../../programmer/pairing-code.js';
import { TherapyStatus } from '../../modules/therapy/status.js';
import { run, settle } from '../../host/board/drive.js';
import { deviceCertificate, openSession, programmerIdentity, provision } from '../../host/board/programmer-session.js';
import type { ProgrammerIdentity } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

/** A plausible trusted "now", a month after the build. */
const NOW = BUILD_TIME + 30 * 86400;
const prng = new Prng(11);
/** A phone or an emergency programmer: a bare key, no certificate. */
const bareKey = (): ProgrammerIdentity => ({ staticKey: keyPair(prng), certificate: new Uint8Array(0) });

/** Power-on of a factory-provisioned board (with update banks, so the manufacturer has an update service). */
async function provisioned(board = new SimBoard({ banks: true })): Promise<Booted> {
  const b = board.boot();
  await run(b.clock, 1000);
  await provision(b);
  return b;
}

async function session(b: Booted, pattern: 'IK' | 'XX', who: ProgrammerIdentity) {
  const s = await openSession(b, pattern, who);
  return {
    ...s,
    call: async (name: string, args?: CborMap) => (await s.call(name, args)).status,
    result: async (name: string, args?: CborMap) => (await s.call(name, args)).result,
  };
}

const refusedWith = (status: number) => (e: unknown) => e instanceof ClientError && e.status === status;
const displayed = (b: Booted) => b.console.filter((e) => e.topic === 'access').map((e) => e.text);

describe('access: end to end through the assembled firmware over the BLE shim', () => {
  it('a clinician interrogates, sets time and reads the audit log, and is refused manufacturer and two-factor commands', async () => {
    const b = await provisioned();
    const s = await session(b, 'IK', programmerIdentity('clinician', 21));
    assert.equal((await s.result('access.whoami') as CborMap).get('role'), 'clinician');
    assert.equal(await s.call('therapy.interrogate'), Status.OK);
    assert.equal(await s.call('therapy.markers', new Map([['from', 0], ['max', 8]])), Status.OK);
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.PRESENCE_REQUIRED, 'remote programming needs the magnet');
    b.button(true);
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.OK);
    b.button(false);
    assert.equal(await s.call('access.time.set', new Map([['seconds', NOW]])), Status.OK);
    assert.equal(await s.call('access.time.set', new Map([['seconds', NOW - 60]])), AccessStatus.TIME_REFUSED);
    assert.equal(await s.call('access.bonds.list'), Status.OK);
    assert.equal(await s.call('access.alerts.read'), Status.OK);
    const audit = await s.result('access.audit.read', new Map([['from', 0], ['count', 16]])) as CborMap;
    assert.ok((audit.get('entries') as Uint8Array[]).length > 0);
    assert.equal(await s.call('access.keys.update', new Map([['update', new Uint8Array(8)]])), Status.DENIED);
    assert.equal(await s.call('access.provision', new Map([['certificate', new Uint8Array(8)]])), Status.DENIED);
    assert.equal(await s.call('access.unbond-self'), Status.DENIED);
    assert.equal(await s.call('ota.status'), Status.DENIED, 'updates are the manufacturer\'s');
    assert.equal(await s.call('ota.begin', new Map([['manifest', new Uint8Array(8)]])), Status.DENIED);
    assert.equal(await s.call('access.bonds.remove-all'), Status.PRESENCE_REQUIRED);
    b.button(true);
    assert.equal(await s.call('access.bonds.remove-all'), Status.OK, 'with the magnet held: two factors');
    b.button(false);
    await s.close();
    b.firmware.stop();
  });

  it('a manufacturer reads update status and re-provisions the device only with presence', async () => {
    const b = await provisioned();
    const s = await session(b, 'IK', programmerIdentity('manufacturer', 22));
    assert.equal(await s.call('ota.status'), Status.OK);
    assert.equal(await s.call('ota.begin', new Map([['manifest', new Uint8Array(8)]])), Status.PRESENCE_REQUIRED);
    const renewed = deviceCertificate(b.firmware.access!.identity.identity().staticPublic, prng.bytes(8));
    assert.equal(await s.call('access.provision', new Map([['certificate', renewed]])), Status.PRESENCE_REQUIRED);
    b.button(true);
    assert.equal(await s.call('access.provision', new Map([['certificate', renewed]])), Status.OK);
    const foreign = deviceCertificate(keyPair(prng).publicKey, prng.bytes(8));
    assert.equal(await s.call('access.provision', new Map([['certificate', foreign]])), AccessStatus.PROVISIONING_REJECTED);
    b.button(false);
    assert.equal(await s.call('access.bonds.list'), Status.DENIED, 'bonds are the clinic\'s and the patient\'s');
    assert.equal(await s.call('access.audit.read', new Map([['from', 0], ['count', 1]])), Status.DENIED);
    await s.close();
    b.firmware.stop();
  });

  it('a patient phone bonds in the pairing window, sees alerts, and is refused clinician commands', async () => {
    const b = await provisioned();
    const phone = bareKey();
    // Outside the window the phone cannot even start XX.
    await assert.rejects(session(b, 'XX', phone), refusedWith(Status.PATTERN_NOT_ALLOWED));
    b.button(true);
    await run(b.clock, PAIRING.HOLD_MIN_MS);
    b.button(false);
    const s = await session(b, 'XX', phone);
    // After the pairing-code exchange the device shows the code the app computed.
    const code = await settle(b.clock, exchangePairingCode(s.client, crypto, s.opened.handshakeHash));
    assert.equal(displayed(b).at(-1), `pairing code ${code}`);
    assert.equal((await s.result('access.whoami') as CborMap).get('role'), 'patient');
    assert.equal(await s.call('therapy.interrogate'), Status.OK, 'the patient reads status');
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.DENIED);
    assert.equal(await s.call('therapy.pace-now'), Status.DENIED);
    const alerts = await s.result('access.alerts.read') as CborMap[];
    assert.deepEqual(alerts.map((a) => a.get('kind')), ['bond-added']);
    assert.equal(await s.call('access.alerts.ack'), Status.OK);
    assert.equal(await s.call('access.time.set', new Map([['seconds', NOW]])), Status.DENIED);
    assert.equal(await s.call('access.audit.read', new Map([['from', 0], ['count', 1]])), Status.DENIED);
    assert.equal(await s.call('access.bonds.remove', new Map([['keyId', new Uint8Array(8)]])), Status.DENIED);
    await s.close();
    // Everyday sessions: IK with the key learned at pairing; then the phone unbonds itself.
    const again = await session(b, 'IK', phone);
    assert.equal(await again.call('access.unbond-self'), Status.OK);
    await again.close();
    await assert.rejects(session(b, 'IK', phone), refusedWith(Status.AUTH_FAILED));
    b.firmware.stop();
  });

  it('a patient sets its rate only inside the range a clinician set with the magnet, and marks a symptom', async () => {
    const board = new SimBoard({ banks: true });
    const b = await provisioned(board);
    const lrl = async (s: { result: (name: string) => Promise<unknown> }) =>
      ((await s.result('therapy.interrogate') as CborMap).get('permanent') as CborMap).get('lrl');
    const phone = bareKey();
    b.button(true);
    await run(b.clock, PAIRING.HOLD_MIN_MS);
    b.button(false);
    const bonding = await session(b, 'XX', phone);
    await settle(b.clock, exchangePairingCode(bonding.client, crypto, bonding.opened.handshakeHash));
    assert.equal(await bonding.result('therapy.patient-range.get'), null, 'no patient range by default');
    const initial = await lrl(bonding);
    assert.equal(await bonding.call('therapy.patient.set-rate', new Map([['lrl', 70]])), TherapyStatus.OUT_OF_PATIENT_RANGE, 'no range: refused');
    assert.equal(await bonding.call('therapy.patient-range.set', new Map([['lrlMin', 30], ['lrlMax', 175]])), Status.DENIED, 'the patient cannot widen its own range');
    assert.equal(await lrl(bonding), initial, 'nothing changed');
    assert.notEqual(initial, 70);
    await bonding.close();

    const clinician = programmerIdentity('clinician', 23);
    const clinic = await session(b, 'IK', clinician);
    const range = (lrlMin: number, lrlMax: number) => new Map([['lrlMin', lrlMin], ['lrlMax', lrlMax]]);
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 95)), Status.PRESENCE_REQUIRED);
    b.button(true);
    assert.equal(await clinic.call('therapy.patient-range.set', range(61, 92)), TherapyStatus.PARAMETER_RANGE, '92 ppm is off the LRL grid');
    assert.equal(await clinic.call('therapy.patient-range.set', range(80, 60)), TherapyStatus.PARAMETER_CONFLICT, 'min above max');
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 120)), TherapyStatus.PARAMETER_CONFLICT, 'LRL 120 is not below the URL');
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 95)), Status.OK);
    b.button(false);
    assert.deepEqual(await clinic.result('therapy.patient-range.get'), new Map([['lrlMin', 60], ['lrlMax', 95]]));
    await clinic.close();

    const s = await session(b, 'IK', phone);
    assert.equal(await s.call('therapy.patient.set-rate', new Map([['lrl', 70]])), Status.OK);
    assert.equal(await lrl(s), 70, 'the therapy runs the patient\'s rate');
    assert.equal(await s.call('therapy.patient.set-rate', new Map([['lrl', 100]])), TherapyStatus.OUT_OF_PATIENT_RANGE);
    assert.equal(await s.call('therapy.patient.set-rate', new Map([['lrl', 55]])), TherapyStatus.OUT_OF_PATIENT_RANGE);
    assert.equal(await s.call('therapy.patient.set-rate', new Map([['lrl', 92]])), TherapyStatus.PARAMETER_RANGE, 'off the grid');
    assert.equal(await lrl(s), 70, 'refusals change nothing');
    assert.equal(await s.call('therapy.program', new Map([['lrl', 90]])), Status.DENIED, 'clinician programming stays the clinician\'s');
    assert.equal(await s.call('therapy.patient.symptom'), Status.OK);
    const interrogation = await s.result('therapy.interrogate') as CborMap;
    assert.equal((interrogation.get('symptoms') as number[]).length, 1, 'the clinician sees the mark at interrogation');
    await s.close();
    const logged = b.firmware.storage!.audit.entries().filter((e) => e.event === 'command' && e.detail?.startsWith('therapy.patient'));
    assert.deepEqual(logged.map((e) => `${e.actor.role} ${e.detail}`), [
      'clinician therapy.patient-range.set', 'patient therapy.patient.set-rate', 'patient therapy.patient.symptom',
    ], 'the range and both patient actions are audited');
    b.firmware.stop();

    // After a reset the range comes back from storage.
    const after = board.boot();
    await run(after.clock, 1000);
    const reread = await session(after, 'IK', clinician);
    assert.deepEqual(await reread.result('therapy.patient-range.get'), new Map([['lrlMin', 60], ['lrlMax', 95]]));
    await reread.close();
    after.firmware.stop();
  });

  it('an emergency programmer gets in only after an unbroken long hold, and only for emergency commands', async () => {
    const b = await provisioned();
    const stranger = bareKey();
    await assert.rejects(session(b, 'XX', stranger), refusedWith(Status.PATTERN_NOT_ALLOWED));
    b.button(true);
    await run(b.clock, EMERGENCY.ARM_HOLD_MS);
    const s = await session(b, 'XX', stranger);
    assert.equal(await s.call('therapy.interrogate'), Status.OK, 'reads status');
    assert.equal(await s.call('therapy.pace-now'), Status.OK, 'starts emergency pacing');
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.DENIED, 'cannot program therapy');
    assert.equal(await s.call('therapy.clear-safe-mode'), Status.DENIED);
    for (const name of ['access.whoami', 'access.bonds.list', 'access.alerts.read', 'access.keys.list']) {
      assert.equal(await s.call(name), Status.DENIED, name);
    }
    assert.equal(await s.call('access.time.set', new Map([['seconds', NOW]])), Status.DENIED);
    assert.equal(await s.call('access.keys.update', new Map([['update', new Uint8Array(8)]])), Status.DENIED);
    assert.equal(await s.call('ota.begin', new Map([['manifest', new Uint8Array(8)]])), Status.DENIED, 'no firmware update');
    assert.equal(await s.call('ota.activate'), Status.DENIED);
    b.button(false);
    assert.equal(await s.call('access.whoami'), AccessStatus.EMERGENCY_ENDED, 'rights end when presence is released');
    await s.close();
    assert.deepEqual(b.firmware.access!.alerts.pending('patient').map((a) => a.kind), ['emergency-access']);
    b.firmware.stop();
  });
});
