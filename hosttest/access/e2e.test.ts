// End to end over the host BLE shim: the implant's GATT server with the real channel, access
// gate and policy; programmers on a simulated central. A clinician, a patient and an emergency
// programmer each complete what their role allows and are refused the rest with the documented
// codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { PAIRING } from '../../modules/access/pairing.js';
import { EMERGENCY } from '../../modules/access/principal.js';
import { AccessStatus } from '../../modules/access/status.js';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { ClientError, ProgrammerClient } from '../../programmer/client.js';
import { exchangePairingCode } from '../../programmer/pairing-code.js';
import { PatientActions, patientRangeCodec } from '../../modules/therapy-control/patient-range.js';
import type { PatientRange, PatientRangeStore } from '../../modules/therapy-control/patient-range.js';
import type { TherapyPort } from '../../modules/therapy-control/commands.js';
import { TherapyStatus } from '../../modules/therapy/status.js';
import { centralLink } from '../../host/ble/central-link.js';
import { resetBleRadio, SimulatedCentral } from '../../host/ble/radio.js';
import type { ServiceJson } from '../../host/ble/radio.js';
import { virtualHost } from '../../host/shims/host-control.js';
import { firmwareCommands } from './firmware-commands.js';
import { crypto, Device, NOW, x25519Pair } from '../../host/fixtures/access-device.js';
import type { KeyPair } from '../../host/fixtures/access-device.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

/** The patient range at rest as the firmware keeps it: bytes through the real codec. */
function memoryRangeStore(): PatientRangeStore & { bytes?: Uint8Array } {
  return {
    load() {
      return { value: (this.bytes && patientRangeCodec.decode(this.bytes)) ?? patientRangeCodec.defaults() };
    },
    save(range: PatientRange | null) {
      this.bytes = patientRangeCodec.encode(range);
    },
  };
}

function boot(rangeStore?: PatientRangeStore) {
  const clock = virtualHost('esp32');
  const radio = resetBleRadio();
  radio.maxMtu = 247;
  radio.installServices([service('gap'), service('implant')]);
  const device = new Device(11, crypto, clock);
  const access = device.access;
  const identity = access.identity.identity();
  new ImplantGattServer({
    clock, crypto,
    staticKey: { publicKey: identity.staticPublic, secretKey: identity.staticSecret },
    gate: new AccessGate(access),
    dispatcher: new CommandDispatcher({ commands: firmwareCommands(device, undefined, rangeStore), policy: access.authorizer }),
    physicalPresence: () => access.presence.isHeld(),
    deviceInfo: () => ({ model: 'IMPLANT-SIM', protocol: 1, selectors: [0x11, 0x12] }),
  });
  clock.advance(0);
  return { clock, radio, device, access };
}

async function session(env: ReturnType<typeof boot>, pattern: 'IK' | 'XX', staticKey: KeyPair, certificate: Uint8Array) {
  const central = new SimulatedCentral(env.radio);
  central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({
    crypto, clock: env.clock, link: centralLink(central), pattern, staticKey, certificate,
    deviceStatic: pattern === 'IK' ? env.access.identity.identity().staticPublic : undefined,
  });
  let opened;
  try {
    opened = await client.connect();
  } catch (error) {
    env.clock.advance(0); // the device's disconnect after its ALERT, then advertising resumes
    throw error;
  }
  // Therapy answers come from its own machine a turn later: let the clock run a little per request.
  const send = (name: string, args: CborMap) => {
    const pending = client.request(name, args);
    env.clock.advance(5);
    return pending;
  };
  const call = async (name: string, args: CborMap = new Map()) => (await send(name, args)).status;
  const result = async (name: string, args: CborMap = new Map()) => (await send(name, args)).result;
  return { central, client, opened, call, result, close: () => { central.disconnect(); env.clock.advance(0); } };
}

describe('access: end to end over the host BLE shim', () => {
  it('a clinician interrogates, sets time and reads the audit log, and is refused manufacturer and two-factor commands', async () => {
    const env = boot();
    const programmer = env.device.programmer('clinician');
    const s = await session(env, 'IK', programmer.static, programmer.cert);
    assert.equal((await s.result('access.whoami') as CborMap).get('role'), 'clinician');
    assert.equal(await s.call('therapy.interrogate'), Status.OK);
    assert.equal(await s.call('therapy.markers', new Map([['from', 0], ['max', 8]])), Status.OK);
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.PRESENCE_REQUIRED, 'remote programming needs the magnet');
    env.access.presence.set(true);
    assert.equal(await s.call('therapy.program', new Map([['lrl', 70]])), Status.OK);
    env.access.presence.set(false);
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
    env.access.presence.set(true);
    assert.equal(await s.call('access.bonds.remove-all'), Status.OK, 'with the magnet held: two factors');
    env.access.presence.set(false);
    s.close();
  });

  it('a manufacturer reads update status and re-provisions the device only with presence', async () => {
    const env = boot();
    const programmer = env.device.programmer('manufacturer');
    const s = await session(env, 'IK', programmer.static, programmer.cert);
    assert.equal(await s.call('ota.status'), Status.OK);
    assert.equal(await s.call('ota.begin', new Map([['manifest', new Uint8Array(8)]])), Status.PRESENCE_REQUIRED);
    const renewed = env.device.certificate('device', env.access.identity.identity().staticPublic);
    assert.equal(await s.call('access.provision', new Map([['certificate', renewed]])), Status.PRESENCE_REQUIRED);
    env.access.presence.set(true);
    assert.equal(await s.call('access.provision', new Map([['certificate', renewed]])), Status.OK);
    const foreign = env.device.certificate('device', x25519Pair(env.device.prng).publicKey);
    assert.equal(await s.call('access.provision', new Map([['certificate', foreign]])), AccessStatus.PROVISIONING_REJECTED);
    env.access.presence.set(false);
    assert.equal(await s.call('access.bonds.list'), Status.DENIED, 'bonds are the clinic\'s and the patient\'s');
    assert.equal(await s.call('access.audit.read', new Map([['from', 0], ['count', 1]])), Status.DENIED);
    s.close();
  });

  it('a patient phone bonds in the pairing window, sees alerts, and is refused clinician commands', async () => {
    const env = boot();
    const phone = x25519Pair(env.device.prng);
    // Outside the window the phone cannot even start XX.
    await assert.rejects(session(env, 'XX', phone, new Uint8Array(0)), (e: ClientError) => e.status === Status.PATTERN_NOT_ALLOWED);
    env.access.presence.set(true);
    env.clock.advance(PAIRING.HOLD_MIN_MS);
    env.access.presence.set(false);
    const s = await session(env, 'XX', phone, new Uint8Array(0));
    // After the pairing-code exchange the device shows the code the app computed.
    const code = await exchangePairingCode(s.client, crypto, s.opened.handshakeHash);
    assert.equal(env.device.display.at(-1), `pairing code ${code}`);
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
    s.close();
    // Everyday sessions: IK with the key learned at pairing; then the phone unbonds itself.
    const again = await session(env, 'IK', phone, new Uint8Array(0));
    assert.equal(await again.call('access.unbond-self'), Status.OK);
    again.close();
    await assert.rejects(session(env, 'IK', phone, new Uint8Array(0)), (e: ClientError) => e.status === Status.AUTH_FAILED);
  });

  it('a patient sets its rate only inside the range a clinician set with the magnet, and marks a symptom', async () => {
    const rangeStore = memoryRangeStore();
    const env = boot(rangeStore);
    const lrl = async (s: { result: (name: string) => Promise<unknown> }) =>
      ((await s.result('therapy.interrogate') as CborMap).get('permanent') as CborMap).get('lrl');
    const phone = x25519Pair(env.device.prng);
    env.device.press(PAIRING.HOLD_MIN_MS);
    const bonding = await session(env, 'XX', phone, new Uint8Array(0));
    assert.equal(await bonding.result('therapy.patient-range.get'), null, 'no patient range by default');
    const initial = await lrl(bonding);
    assert.equal(await bonding.call('therapy.patient.set-rate', new Map([['lrl', 70]])), TherapyStatus.OUT_OF_PATIENT_RANGE, 'no range: refused');
    assert.equal(await bonding.call('therapy.patient-range.set', new Map([['lrlMin', 30], ['lrlMax', 175]])), Status.DENIED, 'the patient cannot widen its own range');
    assert.equal(await lrl(bonding), initial, 'nothing changed');
    assert.notEqual(initial, 70);
    bonding.close();

    const programmer = env.device.programmer('clinician');
    const clinic = await session(env, 'IK', programmer.static, programmer.cert);
    const range = (lrlMin: number, lrlMax: number) => new Map([['lrlMin', lrlMin], ['lrlMax', lrlMax]]);
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 95)), Status.PRESENCE_REQUIRED);
    env.access.presence.set(true);
    assert.equal(await clinic.call('therapy.patient-range.set', range(61, 92)), TherapyStatus.PARAMETER_RANGE, '92 ppm is off the LRL grid');
    assert.equal(await clinic.call('therapy.patient-range.set', range(80, 60)), TherapyStatus.PARAMETER_CONFLICT, 'min above max');
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 120)), TherapyStatus.PARAMETER_CONFLICT, 'LRL 120 is not below the URL');
    assert.equal(await clinic.call('therapy.patient-range.set', range(60, 95)), Status.OK);
    env.access.presence.set(false);
    assert.deepEqual(await clinic.result('therapy.patient-range.get'), new Map([['lrlMin', 60], ['lrlMax', 95]]));
    clinic.close();

    const s = await session(env, 'IK', phone, new Uint8Array(0));
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
    s.close();
    const logged = env.device.audit.events.filter((e) => e.type === 'command' && e.subject?.startsWith('therapy.patient'));
    assert.deepEqual(logged.map((e) => `${e.role} ${e.subject}`), [
      'clinician therapy.patient-range.set', 'patient therapy.patient.set-rate', 'patient therapy.patient.symptom',
    ], 'the range and both patient actions are audited');

    // After a reset the range comes back from storage.
    const therapyPort: TherapyPort = { request: () => Promise.reject(new Error('not used')), markers: () => ({ seq: 0, markers: [] }) };
    assert.deepEqual(new PatientActions(therapyPort, rangeStore, env.clock).current(), { lrlMin: 60, lrlMax: 95 });
  });

  it('an emergency programmer gets in only after an unbroken long hold, and only for emergency commands', async () => {
    const env = boot();
    const stranger = x25519Pair(env.device.prng);
    await assert.rejects(session(env, 'XX', stranger, new Uint8Array(0)), (e: ClientError) => e.status === Status.PATTERN_NOT_ALLOWED);
    env.access.presence.set(true);
    env.clock.advance(EMERGENCY.ARM_HOLD_MS);
    const s = await session(env, 'XX', stranger, new Uint8Array(0));
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
    env.access.presence.set(false);
    assert.equal(await s.call('access.whoami'), AccessStatus.EMERGENCY_ENDED, 'rights end when presence is released');
    s.close();
    assert.deepEqual(env.access.alerts.pending('patient').map((a) => a.kind), ['emergency-access']);
  });
});
