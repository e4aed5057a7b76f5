// End to end over the host BLE shim: the implant's GATT server with the real channel, access
// gate and policy; programmers on a simulated central. A clinician, a patient and an emergency
// programmer each complete what their role allows and are refused the rest with the documented
// codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AccessGate } from '../../modules/access/channel-gate.js';
import { PAIRING } from '../../modules/access/pairing.js';
import { shortAuthString } from '../../modules/access/sas.js';
import { AccessStatus } from '../../modules/access/status.js';
import { ImplantGattServer } from '../../modules/ble/device-gatt.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { CommandDispatcher } from '../../modules/channel/commands.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { ClientError, ProgrammerClient } from '../../modules/programmer/client.js';
import { centralLink } from '../ble/central-link.js';
import { resetBleRadio, SimulatedCentral } from '../ble/radio.js';
import type { ServiceJson } from '../ble/radio.js';
import { virtualHost } from '../shims/host-control.js';
import { firmwareCommands } from './firmware-commands.js';
import { crypto, Device, NOW, x25519Pair } from './harness.js';
import type { KeyPair } from './harness.js';

const service = (name: string) => JSON.parse(readFileSync(new URL(`../../modules/ble/bleservices/${name}.json`, import.meta.url), 'utf8')) as ServiceJson;

function boot() {
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
    dispatcher: new CommandDispatcher({ commands: firmwareCommands(device), policy: access.authorizer }),
    physicalPresence: () => access.presence.isHeld(),
    deviceInfo: () => ({ model: 'IMPLANT-SIM', protocol: 1, firmware: '0.1.0', pairingOpen: access.pairing.isOpen(), selectors: [0x11, 0x12] }),
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
    // The device shows the code on its console; the app computes the same from its handshake hash.
    assert.equal(env.device.display.at(-1), `pairing code ${shortAuthString(crypto.sha256, s.opened.handshakeHash)}`);
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
    await assert.rejects(session(env, 'IK', phone, new Uint8Array(0)), (e: ClientError) => e.status === Status.UNKNOWN_PEER);
  });

  it('an emergency programmer gets in only with presence held, and only for emergency commands', async () => {
    const env = boot();
    const stranger = x25519Pair(env.device.prng);
    await assert.rejects(session(env, 'XX', stranger, new Uint8Array(0)), (e: ClientError) => e.status === Status.PATTERN_NOT_ALLOWED);
    env.access.presence.set(true);
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
