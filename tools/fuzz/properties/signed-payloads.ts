// Fuzzing what the device parses only after a signature checked out: the claims of a certificate,
// of a trust update and of an update manifest. Each payload is built key by key (known labels with
// valid or wrongly typed values, a label left out, an unknown label added) and then correctly
// signed by the trusted root with the right external AAD, so the decoder behind the signature
// check is reached (RFC 9052 §4.4 Sig_structure, the AADs of docs/access-control.md and
// docs/update-format.md).
import fc from 'fast-check';
import { CERT_AAD, checkCertificate } from '../../../modules/access/certificate.js';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { AccessStatus } from '../../../modules/access/status.js';
import { TRUST_UPDATE_AAD, TrustStore } from '../../../modules/access/trust-store.js';
import type { TrustState } from '../../../modules/access/ports.js';
import { TrustedTime } from '../../../modules/access/trusted-time.js';
import { UpdateError } from '../../../modules/bootloader/errors.js';
import { COSE_ALG_SHA256, MANIFEST_AAD, MANIFEST_FORMAT, ManifestKey } from '../../../modules/bootloader/manifest.js';
import { openManifest } from '../../../modules/bootloader/signed-manifest.js';
import { toHex, utf8 } from '../../../modules/core/bytes.js';
import { encodeCbor } from '../../../modules/core/cbor.js';
import type { CborMap, CborValue } from '../../../modules/core/cbor.js';
import { signSign1 } from '../../../modules/core/cose.js';
import { nobleProvider as crypto } from '../../../modules/crypto/noble-provider.js';
import { ROOT, updateKeys } from '../../../host/fixtures/update-fixture.js';
import { VirtualClock } from '../../../host/sim/virtual-clock.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail } from './mutate.js';

const ACCESS_CODES = new Set<number>(Object.values(AccessStatus));

const anyValue: fc.Arbitrary<CborValue> = fc.oneof(
  fc.integer(), fc.constantFrom(-1, 0, 0xffffffff, 0x100000000), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null),
  fc.uint8Array({ maxLength: 40 }), fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 4 }),
);

/** A map with each known label present (valid or wrong value) or left out, and maybe an unknown label. */
function claims(fields: ReadonlyArray<readonly [number, fc.Arbitrary<CborValue>]>): fc.Arbitrary<CborMap> {
  const entries = fields.map(([label, valid]) => fc.oneof(
    { weight: 8, arbitrary: valid.map((v) => [label, v] as const) },
    { weight: 1, arbitrary: anyValue.map((v) => [label, v] as const) },
    { weight: 1, arbitrary: fc.constant(null) },
  ));
  const unknown = fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -30, max: 30 }), anyValue) });
  return fc.tuple(fc.tuple(...entries), unknown).map(([present, extra]) => {
    const map: CborMap = new Map();
    for (const e of present) if (e) map.set(e[0], e[1]);
    if (extra) map.set(extra[0], extra[1]);
    return map;
  });
}

const signed = (payload: CborMap, aad: string) => signSign1(crypto.ed25519, ROOT.secretKey, encodeCbor(payload), { kid: keyIdOf(crypto.sha256, ROOT.publicKey), externalAad: utf8(aad) });

const subject = crypto.x25519.publicKey(new Uint8Array(32).fill(3));
const ROOT_KID = keyIdOf(crypto.sha256, ROOT.publicKey);
const PRIOR_REVOKED = new Uint8Array(8).fill(0x5c);
const cnf = fc.oneof(
  { weight: 6, arbitrary: fc.constant(new Map([[1, new Map<number, CborValue>([[1, 1], [-1, 4], [-2, subject]])]]) as CborValue) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 8 }), fc.uint8Array({ minLength: 30, maxLength: 33 }))
    .map(([kty, crv, x]) => new Map([[1, new Map<number, CborValue>([[1, kty], [-1, crv], [-2, x]])]]) as CborValue) },
);
const certificateClaims = claims([
  [4, fc.integer({ min: 1_700_000_000, max: 0xffffffff })],
  [5, fc.integer({ min: 0, max: 1_900_000_000 })],
  [7, fc.uint8Array({ minLength: 0, maxLength: 17 })],
  [8, cnf],
  [9, fc.constantFrom('clinician', 'manufacturer', 'device', 'patient', 'root')],
]);

const trustClaims = claims([
  [1, fc.integer({ min: 0, max: 5 })],
  [2, fc.uint8Array({ minLength: 31, maxLength: 33 })],
  [3, fc.array(fc.oneof(fc.uint8Array({ minLength: 7, maxLength: 9 }), fc.constant(PRIOR_REVOKED), fc.constant(ROOT_KID)), { maxLength: 4 })],
]);

/** A store that already took one update (sequence 2, one revocation), or a fresh one. */
const priorState = fc.option(fc.constant<TrustState>({ sequence: 2, rotationRoot: undefined, revoked: [PRIOR_REVOKED] }), { freq: 2 });

const manifestClaims = claims([
  [ManifestKey.FORMAT, fc.constantFrom(MANIFEST_FORMAT, 0, 2)],
  [ManifestKey.VENDOR_ID, fc.uint8Array({ minLength: 15, maxLength: 17 })],
  [ManifestKey.CLASS_ID, fc.uint8Array({ minLength: 15, maxLength: 17 })],
  [ManifestKey.VERSION, fc.array(fc.integer({ min: -1, max: 0x10000 }), { minLength: 2, maxLength: 4 })],
  [ManifestKey.SECURITY_COUNTER, fc.integer({ min: -1, max: 0x100000000 })],
  [ManifestKey.IMAGE_SIZE, fc.integer({ min: -1, max: 0x100000000 })],
  [ManifestKey.IMAGE_DIGEST, fc.tuple(fc.constantFrom(COSE_ALG_SHA256, -44, 0), fc.uint8Array({ minLength: 31, maxLength: 33 })).map((t) => t as CborValue)],
  [ManifestKey.EXPIRES, fc.integer({ min: -1, max: 2_000_000_000 })],
]);

function unknownTime(): TrustedTime {
  const counters = new Map<string, number>();
  return new TrustedTime(new VirtualClock(), { read: (n) => counters.get(n) ?? 0, raise: (n, v) => void counters.set(n, Math.max(v, counters.get(n) ?? 0)) });
}

export const signedPayloadProperties: readonly FuzzProperty[] = [
  {
    name: 'certificate claims behind a valid signature: accepted only when well formed, else a defined code',
    property: () => {
      let state: TrustState | undefined;
      const trust = new TrustStore(crypto, { roots: [toHex(ROOT.publicKey)], revoked: [] }, { load: () => state, save: (s) => void (state = s) });
      const time = unknownTime();
      return fc.property(certificateClaims, (payload) => {
        const result = checkCertificate(crypto, trust, time, signed(payload, CERT_AAD), { roles: ['clinician', 'manufacturer'], staticKey: subject });
        if (!result.ok) {
          if (!ACCESS_CODES.has(result.status)) fail(`undefined status ${result.status}`);
          return;
        }
        const role = payload.get(9);
        if (role !== 'clinician' && role !== 'manufacturer') fail(`a ${String(role)} certificate passed as a session role`);
        if ([4, 5, 7, 8, 9].some((label) => !payload.has(label)) || payload.size !== 5) fail('a certificate without exactly the five claims passed');
      });
    },
  },
  {
    name: 'trust update claims behind a valid signature: applied only when well formed, rising, keeping every revocation and a usable root; refused ones change nothing',
    property: () => fc.property(trustClaims, priorState, (payload, prior) => {
      let state: TrustState | undefined = prior ?? undefined;
      const trust = new TrustStore(crypto, { roots: [toHex(ROOT.publicKey)], revoked: [] }, { load: () => state, save: (s) => void (state = s) });
      const status = trust.applyUpdate(signed(payload, TRUST_UPDATE_AAD));
      const before = state;
      if (status === 0) {
        const seq = payload.get(1);
        const revoked = payload.get(3);
        if (typeof seq !== 'number' || seq <= (prior?.sequence ?? 0)) fail('an update without a rising sequence applied');
        if (prior && !(Array.isArray(revoked) && revoked.some((r) => r instanceof Uint8Array && toHex(r) === toHex(PRIOR_REVOKED)))) fail('an update that drops a revocation applied');
        if (Array.isArray(revoked) && revoked.some((r) => r instanceof Uint8Array && toHex(r) === toHex(ROOT_KID)) && !payload.has(2)) fail('an update that leaves no usable root applied');
        return;
      }
      if (status !== AccessStatus.TRUST_UPDATE_REJECTED) fail(`undefined status ${status}`);
      if (state !== before || trust.sequence() !== (prior?.sequence ?? 0)) fail('a refused update was stored');
    }),
  },
  {
    name: 'update manifest claims behind a valid signature: open only when well formed, else UpdateError',
    property: () => fc.property(manifestClaims, (payload) => {
      let opened;
      try {
        opened = openManifest(crypto, signed(payload, MANIFEST_AAD), updateKeys());
      } catch (error) {
        if (error instanceof UpdateError) return;
        throw error;
      }
      if (payload.get(ManifestKey.FORMAT) !== MANIFEST_FORMAT || opened.manifest.imageDigest.length !== 32) fail('a malformed manifest opened');
    }),
  },
];
