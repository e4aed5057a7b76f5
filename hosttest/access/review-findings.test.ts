// Findings of the outside attack review (issue 12), each shown through the assembled firmware
// (modules/app/firmware.ts startFirmware on a simulated board) over the BLE shim: a programmer
// client on a simulated central against the real GATT server, channel, access gate and policy.
import assert from 'node:assert/strict';
import { issueCertificate } from '../../modules/access/certificate.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { PAIRING } from '../../modules/access/pairing.js';
import { EMERGENCY } from '../../modules/access/principal.js';
import { AccessStatus } from '../../modules/access/status.js';
import { signTrustUpdate } from '../../modules/access/trust-store.js';
import { BUILD_TIME, MAX_FORWARD_JUMP } from '../../modules/access/trusted-time.js';
import { decodeDeviceInfo } from '../../modules/ble/device-info.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { Status } from '../../modules/channel/status.js';
import type { KeyPair } from '../../modules/channel/noise/suite.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { RecordKeys } from '../../modules/storage/record-keys.js';
import type { Storage } from '../../modules/storage/storage.js';
import { ClientError, ProgrammerClient } from '../../programmer/client.js';
import { centralLink } from '../../host/ble/central-link.js';
import { SimulatedCentral } from '../../host/ble/radio.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import type { ProgrammerIdentity } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { ROOT } from '../../host/fixtures/update-fixture.js';
import { CborTag, decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import { Prng } from '../../host/lib/prng.js';

const prng = new Prng(12);
const stranger = (): ProgrammerIdentity => {
  const secretKey = prng.bytes(32);
  return { staticKey: { secretKey, publicKey: crypto.x25519.publicKey(secretKey) }, certificate: new Uint8Array(0) };
};

/** Connects a central and runs a handshake; XX learns the device key, IK is given it. */
async function connect(b: Booted, pattern: 'IK' | 'XX', who: ProgrammerIdentity, deviceStatic = pattern === 'IK' ? b.firmware.access!.identity.identity().staticPublic : undefined) {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({
    crypto, clock: b.clock, link: centralLink(central), pattern, staticKey: who.staticKey as KeyPair, certificate: who.certificate,
    deviceStatic,
  });
  try {
    await settle(b.clock, client.connect());
  } catch (error) {
    await run(b.clock, 10); // the device's disconnect after its ALERT; advertising resumes
    throw error;
  }
  const send = async (name: string, args: CborMap = new Map()) => settle(b.clock, client.request(name, args));
  return {
    central,
    call: async (name: string, args?: CborMap) => (await send(name, args)).status,
    result: async (name: string, args?: CborMap) => (await send(name, args)).result,
    close: async () => { central.disconnect(); await run(b.clock, 10); },
  };
}

/** What any central reads from the device-information characteristic before a session. */
async function readInfo(b: Booted): Promise<Uint8Array> {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  const info = central.read(IMPLANT_GATT.deviceInfo);
  central.disconnect();
  await run(b.clock, 10);
  return info;
}

/** An IK HELLO made for `deviceStatic`, whichever implant answers it. */
const connectTo = (b: Booted, deviceStatic: Uint8Array, who: ProgrammerIdentity) => connect(b, 'IK', who, deviceStatic);

const refusedWith = (status: number) => (e: unknown) => e instanceof ClientError && e.status === status;

/** A factory-provisioned board: a manufacturer at the device installs its device certificate. */
async function provisionedBoard(board = new SimBoard()): Promise<Booted> {
  const b = board.boot();
  await run(b.clock, 1000);
  const factory = await connect(b, 'IK', programmerIdentity('manufacturer', 7));
  const certificate = issueCertificate(crypto, ROOT, {
    role: 'device', subjectKey: b.firmware.access!.identity.identity().staticPublic, serial: prng.bytes(8), notBefore: 0, notAfter: 4_000_000_000,
  });
  b.button(true);
  assert.equal(await factory.call('access.provision', new Map([['certificate', certificate]])), Status.OK);
  b.button(false);
  await factory.close();
  // The release after a short hold opens no pairing window; let any window there is close anyway.
  await run(b.clock, PAIRING.WINDOW_MS);
  return b;
}

describe('attack review (issue 12), through the assembled firmware over BLE', () => {
  describe('1. emergency access cannot be taken during the patient\'s pairing press', () => {
    it('a stranger at radio range gets nothing while the patient holds the button to pair', async () => {
      const b = await provisionedBoard();
      const before = await readInfo(b);
      b.button(true);
      await run(b.clock, (PAIRING.HOLD_MIN_MS + PAIRING.HOLD_MAX_MS) / 2);
      const attacker = stranger();
      await assert.rejects(connect(b, 'XX', attacker), refusedWith(Status.PATTERN_NOT_ALLOWED), 'no XX on presence alone');
      await assert.rejects(connect(b, 'IK', attacker), refusedWith(Status.AUTH_FAILED), 'a peer who knows the key gets no emergency role');
      assert.deepEqual(await readInfo(b), before, 'device information does not change while presence is held');
      b.button(false);
      // The patient's phone bonds in the window the press opened, and is the patient.
      const phone = await connect(b, 'XX', stranger());
      assert.equal((await phone.result('access.whoami') as CborMap).get('role'), 'patient');
      await phone.close();
      assert.equal(b.firmware.access!.alerts.pending('patient').some((a) => a.kind === 'emergency-access'), false);
      b.firmware.stop();
    });

    it('an emergency team gets one session per unbroken long hold, and the device announces nothing', async () => {
      const b = await provisionedBoard();
      const before = await readInfo(b);
      b.button(true);
      await run(b.clock, EMERGENCY.ARM_HOLD_MS);
      assert.deepEqual(await readInfo(b), before, 'armed emergency access is not announced');
      const team = await connect(b, 'XX', stranger());
      assert.equal(await team.call('therapy.interrogate'), Status.OK);
      assert.equal(await team.call('therapy.pace-now'), Status.OK);
      assert.equal(await team.call('therapy.program', new Map([['lrl', 70]])), Status.DENIED);
      await team.close();
      await assert.rejects(connect(b, 'XX', stranger()), refusedWith(Status.PATTERN_NOT_ALLOWED), 'the hold gave its one session');
      b.button(false);
      b.button(true);
      await run(b.clock, EMERGENCY.ARM_HOLD_MS);
      const again = await connect(b, 'XX', stranger());
      assert.equal(await again.call('therapy.interrogate'), Status.OK, 'a new hold, a new session');
      await again.close();
      b.button(false);
      b.firmware.stop();
    });
  });

  describe('2. one clinician session cannot expire every certificate', () => {
    it('81 time.set calls leave the floor where the device can vouch for it; after a reset clinicians and the manufacturer still get in', async () => {
      const board = new SimBoard();
      const b = board.boot();
      await run(b.clock, 1000);
      const rogue = await programmerSession(b);
      const request = (seconds: number) => settle(b.clock, rogue.client.request('access.time.set', new Map([['seconds', seconds]])));
      const statuses: number[] = [];
      for (let i = 0; i < 81; i++) statuses.push((await request(Math.min(BUILD_TIME + (i + 1) * MAX_FORWARD_JUMP, 0xffffffff))).status);
      assert.equal(statuses.filter((st) => st === Status.OK).length, 1, 'one step of at most a year, then refused');
      const time = (await settle(b.clock, rogue.client.request('access.time.get', new Map()))).result as CborMap;
      const ranSeconds = Math.ceil(b.clock.now() / 1000);
      assert.ok((time.get('floor') as number) <= BUILD_TIME + ranSeconds, `floor ${String(time.get('floor'))}`);
      rogue.central.disconnect();
      b.firmware.stop();

      const after = board.boot(); // a reset: the clock is unknown, the floor is what was written
      await run(after.clock, 1000);
      for (const role of ['clinician', 'manufacturer'] as const) {
        const s = await programmerSession(after, programmerIdentity(role, role === 'clinician' ? 5 : 7));
        const whoami = (await settle(after.clock, s.client.request('access.whoami', new Map()))).result as CborMap;
        assert.equal(whoami.get('role'), role, `${role} certificates valid until 2096 still work`);
        s.central.disconnect();
        await run(after.clock, 10);
      }
      after.firmware.stop();
    });
  });

  describe('6. trust state fails closed', () => {
    /** Flips a byte of the sealed trust record in the board's flash: it is there, but does not open. */
    function damageTrustRecord(storage: Storage): void {
      const slots = storage.records.keys().filter((k) => k >= RecordKeys.secrets && k < RecordKeys.secrets + RecordKeys.rangeSize).sort((a, b) => a - b);
      const index = storage.secrets.list().findIndex((item) => new TextDecoder().decode(item.id) === 'access.trust');
      const sealed = storage.records.get(slots[index])!.slice();
      sealed[sealed.length - 1] ^= 1;
      storage.records.put(slots[index], sealed);
    }

    it('a revoked clinician stays out when the trust record is damaged: certificates and updates are refused, audited and alerted', async () => {
      const board = new SimBoard();
      const b = board.boot();
      await run(b.clock, 1000);
      const revoked = programmerIdentity('clinician', 5);
      const factory = await programmerSession(b, programmerIdentity('manufacturer', 7));
      const update = signTrustUpdate(crypto, ROOT, { sequence: 1, revoked: [keyIdOf(crypto.sha256, revoked.staticKey.publicKey)] });
      b.button(true);
      assert.equal((await settle(b.clock, factory.client.request('access.keys.update', new Map([['update', update]])))).status, Status.OK);
      b.button(false);
      factory.central.disconnect();
      await run(b.clock, 10);
      await assert.rejects(connect(b, 'IK', revoked), refusedWith(AccessStatus.CERT_REVOKED));
      b.firmware.stop();
      damageTrustRecord(b.firmware.storage!);

      const after = board.boot();
      await run(after.clock, 1000);
      await assert.rejects(connect(after, 'IK', revoked), refusedWith(AccessStatus.TRUST_STATE_DAMAGED), 'the revocation did not vanish');
      await assert.rejects(connect(after, 'IK', programmerIdentity('clinician', 9)), refusedWith(AccessStatus.TRUST_STATE_DAMAGED), 'no certificate at all');
      // The lockout has started (three failures); the manufacturer at the device gets past it, and is refused too.
      after.button(true);
      await run(after.clock, 1000); // the radio asks again each second whether to advertise
      await assert.rejects(connect(after, 'IK', programmerIdentity('manufacturer', 7)), refusedWith(AccessStatus.TRUST_STATE_DAMAGED), 'so no trust update replays either');
      after.button(false);
      const access = after.firmware.access!;
      assert.ok(access.alerts.pending('clinician').some((a) => a.kind === 'trust-damaged'));
      assert.ok(after.firmware.storage!.audit.entries().some((e) => e.event === 'trust.damaged'));
      assert.ok(after.console.some((e) => e.text.startsWith('trust anchors damaged')));
      after.firmware.stop();
    });
  });

  describe('7. the pre-session face', () => {
    it('before provisioning only presence opens XX: a stranger at radio range does not get the static key', async () => {
      const b = new SimBoard().boot();
      await run(b.clock, 1000);
      assert.equal(b.firmware.access!.identity.isProvisioned(), false, 'the simulator\'s factory state');
      await assert.rejects(connect(b, 'XX', stranger()), refusedWith(Status.PATTERN_NOT_ALLOWED));
      b.button(true);
      await run(b.clock, 1000);
      const factory = await connect(b, 'XX', programmerIdentity('manufacturer', 7));
      assert.equal((await factory.result('access.whoami') as CborMap).get('role'), 'manufacturer', 'the factory at the device');
      await factory.close();
      b.button(false);
      b.firmware.stop();
    });

    it('device information is the same bytes in every state, with no firmware version, pairing or presence in it', async () => {
      const board = new SimBoard();
      const fresh = board.boot();
      await run(fresh.clock, 1000);
      const seen = [await readInfo(fresh)];
      fresh.button(true);
      await run(fresh.clock, 1000);
      seen.push(await readInfo(fresh));
      fresh.button(false);
      fresh.firmware.stop();
      const b = await provisionedBoard(board);
      seen.push(await readInfo(b));
      b.button(true);
      await run(b.clock, PAIRING.HOLD_MIN_MS);
      b.button(false);
      assert.ok(b.firmware.access!.pairing.isOpen());
      seen.push(await readInfo(b));
      b.button(true);
      await run(b.clock, EMERGENCY.ARM_HOLD_MS);
      seen.push(await readInfo(b));
      b.button(false);
      for (const info of seen) assert.deepEqual(info, seen[0]);
      assert.deepEqual([...(decodeCbor(seen[0]) as CborMap).keys()].sort(), ['hello', 'model', 'proto']);
      assert.deepEqual(decodeDeviceInfo(seen[0])!.selectors, [0x11, 0x12]);
      b.firmware.stop();
    });

    it('an IK probe with a throwaway key gets the same code from this implant as from any other', async () => {
      const probe = stranger();
      const junkCertificate = { ...probe, certificate: prng.bytes(40) };
      const answers: number[] = [];
      let target: Uint8Array | undefined;
      for (const seed of [1, 2]) {
        const b = new SimBoard({ seed }).boot();
        await run(b.clock, 1000);
        target ??= b.firmware.access!.identity.identity().staticPublic; // the first implant's key, probed at both
        for (const who of [probe, junkCertificate]) {
          await assert.rejects(connectTo(b, target, who), (e: unknown) => e instanceof ClientError && answers.push(e.status!) > 0);
        }
        b.firmware.stop();
      }
      assert.deepEqual(answers, [Status.AUTH_FAILED, Status.AUTH_FAILED, Status.AUTH_FAILED, Status.AUTH_FAILED]);
    });
  });

  describe('8. COSE objects have one byte form', () => {
    it('a genuine clinician certificate with anything in its unprotected header is refused, and audited as malformed', async () => {
      const b = new SimBoard().boot();
      await run(b.clock, 1000);
      const genuine = programmerIdentity('clinician', 5);
      const [protectedBytes, , payload, signature] = (decodeCbor(genuine.certificate) as CborTag).value as Uint8Array[];
      // Still signed correctly (the signature does not cover this bucket), but another byte form.
      const restyled = encodeCbor(new CborTag(18, [protectedBytes, new Map([[5, new Uint8Array(12)]]), payload, signature]));
      await assert.rejects(connect(b, 'IK', { ...genuine, certificate: restyled }), refusedWith(Status.AUTH_FAILED));
      assert.ok(b.firmware.storage!.audit.entries().some((e) => e.event === 'auth.fail' && e.outcome === `status-${AccessStatus.CERT_MALFORMED}`));
      const s = await connect(b, 'IK', genuine);
      assert.equal((await s.result('access.whoami') as CborMap).get('role'), 'clinician', 'the one byte form works');
      await s.close();
      b.firmware.stop();
    });
  });
});
