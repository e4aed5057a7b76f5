// An update package file: the tagged COSE_Sign1 manifest followed directly by the image
// (docs/update-format.md). The manifest's end is found from its CBOR heads alone; the package
// format fixes the unprotected header to the empty map, so four heads suffice.
import { concatBytes } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { UpdateError } from './errors.js';
import { MAX_MANIFEST_BYTES } from './layout.js';
import type { Manifest } from './manifest.js';
import { openManifest, signManifest } from './signed-manifest.js';
import type { KeyLookup, OpenedManifest } from './signed-manifest.js';

export interface PackageParts {
  readonly manifestBytes: Uint8Array;
  readonly image: Uint8Array;
}

/** Splits a package into manifest and image; throws UpdateError('manifest-not-first' | 'malformed' | 'truncated'). */
export function splitPackage(pkg: Uint8Array): PackageParts {
  // RFC 8949 §3: 0xd2 = tag 18 (COSE_Sign1), 0x84 = array of 4, 0xa0 = empty map.
  if (pkg[0] !== 0xd2) throw new UpdateError('manifest-not-first', 'package does not start with a tagged COSE_Sign1');
  if (pkg[1] !== 0x84) throw new UpdateError('malformed', 'COSE_Sign1 is an array of 4');
  let pos = 2;
  pos = skipBstr(pkg, pos);
  if (pkg[pos] !== 0xa0) throw new UpdateError('malformed', 'package manifests have an empty unprotected header');
  pos = skipBstr(pkg, pos + 1);
  pos = skipBstr(pkg, pos);
  if (pos > MAX_MANIFEST_BYTES) throw new UpdateError('malformed', 'manifest too large');
  return { manifestBytes: pkg.slice(0, pos), image: pkg.subarray(pos) };
}

function skipBstr(b: Uint8Array, pos: number): number {
  if (pos >= b.length) throw new UpdateError('truncated', 'package ends inside the manifest');
  const initial = b[pos];
  if (initial >> 5 !== 2) throw new UpdateError('malformed', `expected a byte string at ${pos}`);
  const info = initial & 31;
  let length: number, head: number;
  if (info < 24) (length = info), (head = 1);
  else if (info === 24) (length = b[pos + 1]), (head = 2);
  else if (info === 25) (length = (b[pos + 1] << 8) | b[pos + 2]), (head = 3);
  else throw new UpdateError('malformed', `byte string length form at ${pos}`);
  const end = pos + head + length;
  if (end > b.length || Number.isNaN(length)) throw new UpdateError('truncated', 'package ends inside the manifest');
  return end;
}

export interface VerifiedPackage extends OpenedManifest {
  readonly image: Uint8Array;
}

/** Verifies a whole package file: signature, then that the image has exactly the declared size and digest. */
export function verifyPackage(crypto: CryptoProvider, pkg: Uint8Array, keys: KeyLookup): VerifiedPackage {
  const { manifestBytes, image } = splitPackage(pkg);
  const opened = openManifest(crypto, manifestBytes, keys);
  const { imageSize, imageDigest } = opened.manifest;
  if (image.length < imageSize) throw new UpdateError('truncated', `${image.length} of ${imageSize} image bytes`);
  if (image.length > imageSize) throw new UpdateError('extra-bytes', `${image.length - imageSize} bytes after the image`);
  const digest = crypto.sha256(image);
  if (digest.length !== imageDigest.length || digest.some((x, i) => x !== imageDigest[i])) throw new UpdateError('digest-mismatch');
  return { ...opened, image };
}

/** Builds a package (tools and tests): the manifest's size and digest are taken from the image. */
export function buildPackage(
  crypto: CryptoProvider,
  key: { secretKey: Uint8Array; kid: Uint8Array },
  fields: Omit<Manifest, 'imageSize' | 'imageDigest'>,
  image: Uint8Array,
): Uint8Array {
  const manifest: Manifest = { ...fields, imageSize: image.length, imageDigest: crypto.sha256(image) };
  return concatBytes(signManifest(crypto, key, manifest), image);
}
