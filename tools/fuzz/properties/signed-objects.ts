// Fuzzing of the signed objects the device accepts from outside: role certificates, trust
// updates, update manifests and whole update packages. Each must be refused with its defined
// code (never an exception), and a refused object changes no state.
import fc from 'fast-check';
import { checkCertificate, issueCertificate } from '../../../modules/access/certificate.js';
import { AccessStatus } from '../../../modules/access/status.js';
import { signTrustUpdate, TrustStore } from '../../../modules/access/trust-store.js';
import type { TrustState } from '../../../modules/access/ports.js';
import { TrustedTime } from '../../../modules/access/trusted-time.js';
import { UpdateError } from '../../../modules/bootloader/errors.js';
import { openManifest } from '../../../modules/bootloader/signed-manifest.js';
import { verifyPackage } from '../../../modules/bootloader/package.js';
import { toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { image, makePackage, manifestOf, ROOT, STRANGER, updateKeys } from '../../../host/fixtures/update-fixture.js';
import { VirtualClock } from '../../../host/sim/virtual-clock.js';
import { Prng } from '../../../host/lib/prng.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail, nearValid } from './mutate.js';

const crypto = nobleProvider;
const ACCESS_CODES = new Set<number>(Object.values(AccessStatus));
const TIME_CODES = new Set<number>([AccessStatus.CERT_NOT_YET_VALID, AccessStatus.CERT_EXPIRED]);

const prng = new Prng(0xf022);
const subject = crypto.x25519.publicKey(prng.bytes(32));
const NOW_S = 1_800_000_000;

/** A trusted-time source that knows nothing yet (the state after every reboot). */
function unknownTime(): TrustedTime {
  const counters = new Map<string, number>();
  return new TrustedTime(new VirtualClock(), {
    read: (name) => counters.get(name) ?? 0,
    raise: (name, value) => void counters.set(name, Math.max(value, counters.get(name) ?? 0)),
  });
}

function memoryTrust(): { trust: TrustStore; saved: () => TrustState | undefined } {
  let state: TrustState | undefined;
  const trust = new TrustStore(crypto, { roots: [toHex(ROOT.publicKey)], revoked: [] }, { load: () => state, save: (s) => void (state = s) });
  return { trust, saved: () => state };
}

const validCerts = (['clinician', 'manufacturer', 'device'] as const).map((role) => issueCertificate(crypto, ROOT, {
  subjectKey: subject, role, serial: Uint8Array.of(1, 2, 3), notBefore: NOW_S - 1000, notAfter: NOW_S + 86_400 * 365,
}));

const validTrustUpdates = [
  signTrustUpdate(crypto, ROOT, { sequence: 1, revoked: [] }),
  signTrustUpdate(crypto, ROOT, { sequence: 2, rotationRoot: STRANGER.publicKey, revoked: [new Uint8Array(8).fill(7)] }),
];

const validPackage = makePackage({ version: [1, 2, 0], counter: 3, image: image(5, 300), key: ROOT });
const validManifests = [manifestOf(validPackage)];

export const signedObjectProperties: readonly FuzzProperty[] = [
  {
    name: 'certificate: any bytes get a defined access code, never an exception',
    property: () => {
      const { trust } = memoryTrust();
      const time = unknownTime();
      return fc.property(nearValid(validCerts, 300), fc.boolean(), (bytes, bind) => {
        const result = checkCertificate(crypto, trust, time, bytes, { roles: ['clinician', 'manufacturer'], staticKey: bind ? subject : undefined });
        if (result.ok) {
          // Only a byte-exact valid certificate of a session role may pass.
          if (!validCerts.slice(0, 2).some((c) => c.length === bytes.length && c.every((b, i) => b === bytes[i]))) fail('a mutated certificate passed');
        } else if (!ACCESS_CODES.has(result.status) && !TIME_CODES.has(result.status)) fail(`undefined status ${result.status}`);
      });
    },
  },
  {
    name: 'trust update: a refused update changes neither the stored nor the live trust',
    property: () => fc.property(nearValid(validTrustUpdates, 400), (bytes) => {
      const { trust, saved } = memoryTrust();
      const before = JSON.stringify(trust.slots().map((s) => [s.slot, toHex(s.keyId), s.revoked]));
      const status = trust.applyUpdate(bytes);
      if (status === 0) return;
      if (status !== AccessStatus.TRUST_UPDATE_REJECTED) fail(`undefined status ${status}`);
      if (saved() !== undefined || trust.sequence() !== 0) fail('a refused update was stored');
      if (JSON.stringify(trust.slots().map((s) => [s.slot, toHex(s.keyId), s.revoked])) !== before) fail('a refused update changed the roots');
    }),
  },
  {
    name: 'update manifest: any bytes open or give an UpdateError',
    property: () => fc.property(nearValid(validManifests, 300), (bytes) => {
      try {
        openManifest(crypto, bytes, updateKeys());
      } catch (error) {
        if (!(error instanceof UpdateError)) throw error;
      }
    }),
  },
  {
    name: 'update package: a mutated package is refused with an UpdateError unless byte-identical',
    property: () => fc.property(nearValid([validPackage], 600), (bytes) => {
      try {
        verifyPackage(crypto, bytes, updateKeys());
      } catch (error) {
        if (error instanceof UpdateError) return;
        throw error;
      }
      if (bytes.length !== validPackage.length || bytes.some((b, i) => b !== validPackage[i])) fail('a mutated package verified');
    }),
  },
];
