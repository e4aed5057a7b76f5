// Opening a signed manifest: COSE_Sign1 structure, key by kid, signature, then the manifest
// itself. Cheap refusals come first (size, structure, unknown or revoked key), so that the
// Ed25519 verification only runs for a package that names a key the device trusts.
// @req SEC-10 (docs/traceability.md)
import { CoseError, decodeSign1, signSign1, verifySign1 } from '../core/cose.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { UpdateError } from './errors.js';
import { MAX_MANIFEST_BYTES } from './layout.js';
import { decodeManifest, encodeManifest, MANIFEST_AAD } from './manifest.js';
import type { Manifest } from './manifest.js';

/** What the device's trust anchors say about a key id (modules/access TrustStore adapts to this). */
export type KeyLookup = (kid: Uint8Array | undefined) =>
  | { readonly ok: true; readonly publicKey: Uint8Array }
  | { readonly ok: false; readonly reason: 'unknown-key' | 'revoked-key' };

export interface OpenedManifest {
  readonly manifest: Manifest;
  readonly kid: Uint8Array;
  /** The COSE_Sign1 bytes exactly as signed (what the bank trailer stores). */
  readonly bytes: Uint8Array;
}

/** ASCII bytes of the external AAD. */
export function manifestAad(): Uint8Array {
  const out = new Uint8Array(MANIFEST_AAD.length);
  for (let i = 0; i < out.length; i++) out[i] = MANIFEST_AAD.charCodeAt(i);
  return out;
}

/** Verifies and decodes a tagged COSE_Sign1 manifest; throws UpdateError with the reason. */
export function openManifest(crypto: CryptoProvider, bytes: Uint8Array, keys: KeyLookup): OpenedManifest {
  if (bytes.length === 0 || bytes.length > MAX_MANIFEST_BYTES) throw new UpdateError('malformed', `manifest of ${bytes.length} bytes`);
  // The package format requires the tag (RFC 9052 §2: COSE_Sign1_Tagged); decodeSign1 also takes untagged.
  if (bytes[0] !== 0xd2) throw new UpdateError('manifest-not-first', 'a package starts with a tagged COSE_Sign1 (0xd2)');
  let sign1;
  try {
    sign1 = decodeSign1(bytes);
  } catch (error) {
    if (error instanceof CoseError) throw new UpdateError('malformed', error.message);
    throw error;
  }
  const key = keys(sign1.kid);
  if (!key.ok) throw new UpdateError(key.reason);
  if (!verifySign1(crypto.ed25519, sign1, key.publicKey, manifestAad())) throw new UpdateError('bad-signature');
  return { manifest: decodeManifest(sign1.payload), kid: sign1.kid!, bytes };
}

/** Signs a manifest (tools and tests; the device never holds a signing key). */
export function signManifest(crypto: CryptoProvider, key: { secretKey: Uint8Array; kid: Uint8Array }, manifest: Manifest): Uint8Array {
  return signSign1(crypto.ed25519, key.secretKey, encodeManifest(manifest), { kid: key.kid, externalAad: manifestAad() });
}
