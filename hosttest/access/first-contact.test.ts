// First contact of a clinician who never paired, through the assembled firmware over the BLE shim
// (docs/access-control.md, "First contact"): a pairing press lets its XX handshake run, its
// certificate makes the session a clinician's, it reads the device certificate and checks that a
// manufacturer root binds the key XX revealed, pins the key, and uses IK from then on.
import assert from 'node:assert/strict';
import { issueCertificate } from '../../modules/access/certificate.js';
import { IMPLANT_GATT } from '../../modules/ble/gatt-layout.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ProgrammerClient } from '../../programmer/client.js';
import { checkDeviceCertificate, FirstContactError, verifyImplant } from '../../programmer/first-contact.js';
import { centralLink } from '../../host/ble/central-link.js';
import { SimulatedCentral } from '../../host/ble/radio.js';
import { run, settle } from '../../host/board/drive.js';
import { pairingPress } from '../../host/board/phone-session.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import type { ProgrammerIdentity } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { ROOT } from '../../host/fixtures/update-fixture.js';
import { Prng } from '../../host/lib/prng.js';

const deviceCertificate = (subjectKey: Uint8Array, issuer: { secretKey: Uint8Array; publicKey: Uint8Array } = ROOT, role: 'device' | 'clinician' = 'device') =>
  issueCertificate(crypto, issuer, { role, subjectKey, serial: Uint8Array.of(1), notBefore: 0, notAfter: 4_000_000_000 });

async function xxSession(b: Booted, who: ProgrammerIdentity) {
  const central = new SimulatedCentral(b.radio);
  central.connect();
  central.exchangeMtu(247);
  central.enableNotifications(IMPLANT_GATT.response);
  const client = new ProgrammerClient({ crypto, clock: b.clock, link: centralLink(central), pattern: 'XX', staticKey: who.staticKey, certificate: who.certificate });
  const opened = await settle(b.clock, client.connect());
  const link = { request: (name: string, args?: CborMap) => settle(b.clock, client.request(name, args)) };
  return { central, client, opened, link };
}

describe('access: first contact of a clinician, through the firmware', () => {
  it('learns the key over XX, proves it with the device certificate, then uses IK', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const implantKey = b.firmware.access!.identity.identity().staticPublic;
    // The factory provisions the device certificate (manufacturer, with presence).
    const factory = await programmerSession(b, programmerIdentity('manufacturer', 6));
    b.firmware.access!.presence.set(true);
    const provisioned = await settle(b.clock, factory.client.request('access.provision', new Map([['certificate', deviceCertificate(implantKey)]])));
    b.firmware.access!.presence.set(false);
    assert.equal(provisioned.status, Status.OK);
    factory.central.disconnect();
    await run(b.clock, 100);

    const clinician = programmerIdentity('clinician', 7);
    await pairingPress(b);
    const first = await xxSession(b, clinician);
    assert.equal(((await first.link.request('access.whoami')).result as CborMap).get('role'), 'clinician');
    await verifyImplant(first.link, crypto, [ROOT.publicKey], first.opened.deviceStatic);
    assert.deepEqual(b.firmware.access!.deps.bonds.list(), [], 'a clinician is never bonded');
    first.central.disconnect();
    await run(b.clock, 100);

    const everyday = await programmerSession(b, clinician); // IK, with the key pinned above
    assert.deepEqual(first.opened.deviceStatic, implantKey);
    assert.equal(((await settle(b.clock, everyday.client.request('access.whoami'))).result as CborMap).get('role'), 'clinician');
    everyday.central.disconnect();
    b.firmware.stop();
  });

  it('refuses to pin a key no device certificate binds', async () => {
    const b = new SimBoard().boot(); // never provisioned: no device certificate
    await run(b.clock, 100);
    await pairingPress(b);
    const s = await xxSession(b, programmerIdentity('clinician', 7));
    await assert.rejects(verifyImplant(s.link, crypto, [ROOT.publicKey], s.opened.deviceStatic), (e: FirstContactError) => e.fault === 'no-certificate');
    s.central.disconnect();
    b.firmware.stop();

    const key = new Prng(3).bytes(32);
    const otherSecret = new Prng(4).bytes(32);
    const otherRoot = { secretKey: otherSecret, publicKey: crypto.ed25519.publicKey(otherSecret) };
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], deviceCertificate(key), key), undefined);
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], deviceCertificate(new Prng(5).bytes(32)), key), 'other-key');
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], deviceCertificate(key, ROOT, 'clinician'), key), 'wrong-role');
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], deviceCertificate(key, otherRoot), key), 'unknown-issuer');
    const forged = deviceCertificate(key);
    forged[forged.length - 1] ^= 1;
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], forged, key), 'bad-signature');
    assert.equal(checkDeviceCertificate(crypto, [ROOT.publicKey], Uint8Array.of(1, 2), key), 'malformed');
  });
});
