// Costs of access control (docs/access-control.md). What the device computes per handshake and
// per command on top of the channel:
//   cose.sign1.verify           decode and verify one COSE_Sign1 (EdDSA) of certificate size
//   access.cert.check           a programmer's certificate: structure, root, signature, claims,
//                               revocation, key binding, validity (the handshake's access share)
//   access.authorize            one policy decision of the dispatcher (no crypto)
import { checkCertificate } from '../../modules/access/certificate.js';
import { accessCommands } from '../../modules/access/commands.js';
import type { SessionView } from '../../modules/channel/commands.js';
import { utf8 } from '../../modules/core/bytes.js';
import { decodeSign1, verifySign1 } from '../../modules/core/cose.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { Device, NOW } from '../../host/fixtures/access-device.js';
import { benchCase } from './types.js';

function provisionedDevice() {
  const device = new Device(5);
  device.access.time.set(NOW);
  return { device, programmer: device.programmer('clinician') };
}

export const cases = [
  benchCase({
    name: 'cose.sign1.verify',
    setup: () => {
      const { device, programmer } = provisionedDevice();
      return { cert: programmer.cert, root: device.root.publicKey };
    },
    run: ({ cert, root }) => verifySign1(nobleProvider.ed25519, decodeSign1(cert), root, utf8('implant/cert/v1')),
  }),
  benchCase({
    name: 'access.cert.check',
    setup: provisionedDevice,
    run: ({ device, programmer }) => checkCertificate(nobleProvider, device.access.trust, device.access.time, programmer.cert, {
      staticKey: programmer.static.publicKey, roles: ['clinician', 'manufacturer'],
    }),
  }),
  benchCase({
    name: 'access.authorize',
    setup: () => {
      const { device, programmer } = provisionedDevice();
      const spec = accessCommands(device.access).find((c) => c.name === 'access.bonds.remove')!;
      const session: SessionView = {
        id: 1, handshakeHash: new Uint8Array(32), pattern: 'IK', physicalPresence: () => false,
        principal: { role: 'clinician', keyId: new Uint8Array(8), staticKey: programmer.static.publicKey },
      };
      return { authorizer: device.access.authorizer, spec, session };
    },
    run: ({ authorizer, spec, session }) => authorizer.authorize(spec, session),
  }),
];
