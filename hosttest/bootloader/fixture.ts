// Shared test material for the update tests and the power-cut campaign: deterministic keys,
// a trust store with them, device identity, images and signed packages.
import { TrustStore } from '../../modules/access/trust-store.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import type { TrustState } from '../../modules/access/ports.js';
import { toHex } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { updateKeysFrom } from '../../modules/bootloader/keys.js';
import type { Manifest, Version } from '../../modules/bootloader/manifest.js';
import { buildPackage, splitPackage } from '../../modules/bootloader/package.js';
import type { KeyLookup } from '../../modules/bootloader/signed-manifest.js';
import { Prng } from '../lib/prng.js';

export const crypto = nobleProvider;

export interface SigningKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly kid: Uint8Array;
}

export function signingKey(seed: number): SigningKey {
  const secretKey = new Prng(seed).bytes(32);
  const publicKey = crypto.ed25519.publicKey(secretKey);
  return { secretKey, publicKey, kid: keyIdOf(crypto.sha256, publicKey) };
}

export const ROOT = signingKey(0x5eed0001);
export const ROTATION = signingKey(0x5eed0002);
export const STRANGER = signingKey(0x5eed0003);

export const VENDOR_ID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
export const CLASS_ID = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);

/** A trust store holding ROOT (slot 0) and ROTATION (slot 1), with `revoked` key ids built in. */
export function trustStore(revoked: Uint8Array[] = []): TrustStore {
  let saved: TrustState | undefined;
  return new TrustStore(crypto, { roots: [toHex(ROOT.publicKey), toHex(ROTATION.publicKey)], revoked: revoked.map(toHex) }, {
    load: () => saved,
    save: (state) => void (saved = state),
  });
}

export function updateKeys(revoked: Uint8Array[] = []): KeyLookup {
  return updateKeysFrom(trustStore(revoked));
}

export function image(seed: number, size: number): Uint8Array {
  return new Prng(seed).bytes(size);
}

export interface PackageSpec {
  version: Version;
  counter: number;
  image: Uint8Array;
  key?: SigningKey;
  vendorId?: Uint8Array;
  classId?: Uint8Array;
  expires?: number;
}

export function makePackage(spec: PackageSpec): Uint8Array {
  const fields: Omit<Manifest, 'imageSize' | 'imageDigest'> = {
    vendorId: spec.vendorId ?? VENDOR_ID,
    classId: spec.classId ?? CLASS_ID,
    version: spec.version,
    securityCounter: spec.counter,
    ...(spec.expires === undefined ? {} : { expires: spec.expires }),
  };
  return buildPackage(crypto, spec.key ?? ROOT, fields, spec.image);
}

export function manifestOf(pkg: Uint8Array): Uint8Array {
  return splitPackage(pkg).manifestBytes;
}
