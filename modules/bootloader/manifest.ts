// The update manifest: a CBOR map in the spirit of SUIT (RFC 9124 information model), signed as
// a COSE_Sign1 with EdDSA (RFC 9052 §4.2, RFC 9053 §2.2). Byte-by-byte layout in
// docs/update-format.md. Decoding is strict: deterministic CBOR, known keys only, every field
// typed and bounded, so one manifest has exactly one encoding.
import { isDecimalText } from '../core/bytes.js';
import { CborError, decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborMap, CborValue } from '../core/cbor.js';
import { UpdateError } from './errors.js';

export const MANIFEST_FORMAT = 1;
/** COSE algorithm identifier of SHA-256 (RFC 9054 §2.1), as SUIT writes digests. */
export const COSE_ALG_SHA256 = -16;
/** RFC 9052 §4.3 external AAD: binds the signature to this use, so no other signed object passes. */
export const MANIFEST_AAD = 'implant/update-manifest/v1';

export const ManifestKey = Object.freeze({
  FORMAT: 1,
  VENDOR_ID: 2,
  CLASS_ID: 3,
  VERSION: 4,
  SECURITY_COUNTER: 5,
  IMAGE_SIZE: 6,
  IMAGE_DIGEST: 7,
  EXPIRES: 8,
});

/** [major, minor, patch], each 0..65535. */
export type Version = readonly [number, number, number];

export interface Manifest {
  /** RFC 4122 UUID of the manufacturer (16 bytes), as SUIT's vendor-identifier. */
  readonly vendorId: Uint8Array;
  /** RFC 4122 UUID of the device class (16 bytes), as SUIT's class-identifier. */
  readonly classId: Uint8Array;
  readonly version: Version;
  /** Anti-rollback counter, separate from the version (as MCUboot's SEC_CNT). */
  readonly securityCounter: number;
  readonly imageSize: number;
  /** SHA-256 of the image bytes. */
  readonly imageDigest: Uint8Array;
  /** Unix seconds after which the package must be refused (freeze attacks); optional. */
  readonly expires?: number;
}

const U16 = 0xffff;
const U32 = 0xffffffff;

export function encodeManifest(m: Manifest): Uint8Array {
  const map: CborMap = new Map<number, CborValue>([
    [ManifestKey.FORMAT, MANIFEST_FORMAT],
    [ManifestKey.VENDOR_ID, m.vendorId],
    [ManifestKey.CLASS_ID, m.classId],
    [ManifestKey.VERSION, m.version.slice()],
    [ManifestKey.SECURITY_COUNTER, m.securityCounter],
    [ManifestKey.IMAGE_SIZE, m.imageSize],
    [ManifestKey.IMAGE_DIGEST, [COSE_ALG_SHA256, m.imageDigest]],
  ]);
  if (m.expires !== undefined) map.set(ManifestKey.EXPIRES, m.expires);
  const bytes = encodeCbor(map);
  decodeManifest(bytes); // refuse to sign what the device would refuse to read
  return bytes;
}

/** Decodes and checks a manifest payload; throws UpdateError('malformed') naming the fault. */
export function decodeManifest(bytes: Uint8Array): Manifest {
  let value: CborValue;
  try {
    value = decodeCbor(bytes, { maxBytes: 512, maxDepth: 3, maxItems: 16 });
  } catch (error) {
    if (error instanceof CborError) throw new UpdateError('malformed', `manifest: ${error.code}`);
    throw error;
  }
  if (!(value instanceof Map)) throw new UpdateError('malformed', 'manifest is a map');
  const known = Object.values(ManifestKey) as CborValue[];
  for (const key of value.keys()) if (!known.includes(key)) throw new UpdateError('malformed', `unknown manifest key ${String(key)}`);
  if (value.get(ManifestKey.FORMAT) !== MANIFEST_FORMAT) throw new UpdateError('malformed', 'manifest format');
  const digest = value.get(ManifestKey.IMAGE_DIGEST);
  if (!Array.isArray(digest) || digest.length !== 2 || digest[0] !== COSE_ALG_SHA256) throw new UpdateError('malformed', 'image digest must be [-16, bstr]');
  const manifest: Manifest = {
    vendorId: bstr(value.get(ManifestKey.VENDOR_ID), 16, 'vendor id'),
    classId: bstr(value.get(ManifestKey.CLASS_ID), 16, 'class id'),
    version: version(value.get(ManifestKey.VERSION)),
    securityCounter: uint(value.get(ManifestKey.SECURITY_COUNTER), U32, 'security counter'),
    imageSize: uint(value.get(ManifestKey.IMAGE_SIZE), U32, 'image size'),
    imageDigest: bstr(digest[1], 32, 'image digest'),
  };
  const expires = value.get(ManifestKey.EXPIRES);
  if (expires === undefined) return manifest;
  return { ...manifest, expires: uint(expires, Number.MAX_SAFE_INTEGER, 'expires') };
}

function bstr(v: CborValue | undefined, length: number, what: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== length) throw new UpdateError('malformed', `${what} must be ${length} bytes`);
  return v;
}

function uint(v: CborValue | undefined, max: number, what: string): number {
  if (typeof v !== 'number' || v < 0 || v > max) throw new UpdateError('malformed', `${what} must be an integer in 0..${max}`);
  return v;
}

function version(v: CborValue | undefined): Version {
  if (!Array.isArray(v) || v.length !== 3) throw new UpdateError('malformed', 'version must be [major, minor, patch]');
  return [uint(v[0], U16, 'version'), uint(v[1], U16, 'version'), uint(v[2], U16, 'version')];
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function versionText(v: Version): string {
  return `${v[0]}.${v[1]}.${v[2]}`;
}

export function parseVersion(text: string): Version | undefined {
  const parts = text.split('.');
  if (parts.length !== 3 || !parts.every((p) => isDecimalText(p, 5))) return undefined;
  const v: Version = [Number(parts[0]), Number(parts[1]), Number(parts[2])];
  return v.every((n) => n <= U16) ? v : undefined;
}
