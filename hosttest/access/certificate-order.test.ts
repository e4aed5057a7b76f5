// The certificate check order through the assembled firmware over the BLE shim
// (docs/access-control.md, "Certificates"): a programmer that presents the implant's own device
// certificate, genuine but bound to another key, is refused CERT_KEY_MISMATCH, the code of the
// documented check it fails first.
import assert from 'node:assert/strict';
import { issueCertificate } from '../../modules/access/certificate.js';
import { AccessStatus } from '../../modules/access/status.js';
import { nobleProvider as crypto } from '../../modules/crypto/noble-provider.js';
import { ClientError } from '../../programmer/client.js';
import { run } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import { ROOT } from '../../host/fixtures/update-fixture.js';

describe('access: certificate check order through the firmware', () => {
  it('a device certificate presented by another key is CERT_KEY_MISMATCH', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const implantKey = b.firmware.access!.identity.identity().staticPublic;
    const deviceCertificate = issueCertificate(crypto, ROOT, {
      role: 'device', subjectKey: implantKey, serial: Uint8Array.of(9), notBefore: 0, notAfter: 4_000_000_000,
    });
    const thief = { ...programmerIdentity('clinician', 77), certificate: deviceCertificate };
    await assert.rejects(programmerSession(b, thief), (e: ClientError) => e.code === 'alert' && e.status === AccessStatus.CERT_KEY_MISMATCH);
    b.firmware.stop();
  });
});
