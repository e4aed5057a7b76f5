// COSE_Sign1 (RFC 9052 §4.2-4.4) with EdDSA over Ed25519 (RFC 9053 §2.2), for certificates,
// trust updates and update manifests. One signer, one algorithm, one byte form: the protected
// header is {1: alg = EdDSA, ? 4: kid} and nothing else, the unprotected header is the empty map
// (docs/update-format.md, docs/access-control.md), and anything else (crit, other labels, other
// algorithms, detached payloads) is refused. An unsigned bucket that could hold anything would
// give one signed object many encodings, and a kid there would name a key the signature does
// not cover.
import { CborError, CborTag, decodeCbor, encodeCbor } from './cbor.js';
import type { CborLimits, CborMap, CborValue } from './cbor.js';

/** RFC 9052 §4.2: the CBOR tag of a COSE_Sign1 message. */
export const COSE_SIGN1_TAG = 18;
/** RFC 9052 §3.1 common header labels used here. */
export const HEADER_ALG = 1;
export const HEADER_KID = 4;
/** RFC 9053 §2.2: EdDSA. */
export const ALG_EDDSA = -8;

const ED25519_PUBLIC_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

export type CoseErrorCode =
  | 'malformed'        // not CBOR, or not a 4-element COSE_Sign1 of the right types
  | 'wrong-tag'        // tagged, but not with 18
  | 'unsupported';     // alg other than EdDSA, a header label other than alg and kid, a non-empty unprotected header, a detached payload

export class CoseError extends Error {
  constructor(readonly code: CoseErrorCode, detail = '') {
    super(detail ? `COSE ${code}: ${detail}` : `COSE ${code}`);
    this.name = 'CoseError';
  }
}

/** The Ed25519 operations COSE needs (a CryptoProvider's `ed25519` fits). */
export interface Ed25519Signer {
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
}
export interface Ed25519Verifier {
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

/** A decoded COSE_Sign1. `protectedBytes` are kept verbatim: the signature covers them, not the map. */
export interface Sign1 {
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: CborMap;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** The key id, from the protected header (the only place it may be). */
  readonly kid: Uint8Array | undefined;
}

export interface SignOptions {
  /** Key id placed in the protected header, so it is covered by the signature. */
  readonly kid?: Uint8Array;
  /** RFC 9052 §4.3 externally supplied data, bound into the signature but not transmitted. */
  readonly externalAad?: Uint8Array;
}

/** RFC 9052 §4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]. */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array, externalAad: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, externalAad, payload]);
}

/** Signs `payload` and returns the tagged COSE_Sign1 bytes. */
export function signSign1(signer: Ed25519Signer, secretKey: Uint8Array, payload: Uint8Array, options: SignOptions = {}): Uint8Array {
  const header: CborMap = new Map<number, CborValue>([[HEADER_ALG, ALG_EDDSA]]);
  if (options.kid) header.set(HEADER_KID, options.kid);
  const protectedBytes = encodeCbor(header);
  const signature = signer.sign(sigStructure(protectedBytes, payload, options.externalAad), secretKey);
  return encodeCbor(new CborTag(COSE_SIGN1_TAG, [protectedBytes, new Map(), payload, signature]));
}

/**
 * Parses a COSE_Sign1 (tagged with 18 or untagged, RFC 9052 §2) and checks its structure and
 * headers. It does NOT verify the signature: call verifySign1 with the key the kid selects
 * (a signature failure is a boolean, so callers map it to their own error code).
 */
export function decodeSign1(bytes: Uint8Array, limits?: CborLimits): Sign1 {
  let item: CborValue;
  try {
    item = decodeCbor(bytes, limits);
  } catch (error) {
    if (error instanceof CborError) throw new CoseError('malformed', error.message);
    throw error;
  }
  if (item instanceof CborTag) {
    if (item.tag !== COSE_SIGN1_TAG) throw new CoseError('wrong-tag', `tag ${item.tag}`);
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4) throw new CoseError('malformed', 'COSE_Sign1 is an array of 4');
  const [protectedBytes, unprotectedHeader, payload, signature] = item;
  if (!(protectedBytes instanceof Uint8Array)) throw new CoseError('malformed', 'protected header is a bstr');
  if (!(unprotectedHeader instanceof Map)) throw new CoseError('malformed', 'unprotected header is a map');
  if (unprotectedHeader.size !== 0) throw new CoseError('unsupported', 'unprotected header must be the empty map');
  if (payload === null) throw new CoseError('unsupported', 'detached payload');
  if (!(payload instanceof Uint8Array)) throw new CoseError('malformed', 'payload is a bstr');
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) throw new CoseError('malformed', 'signature is 64 bytes');
  const protectedHeader = decodeProtected(protectedBytes);
  if (protectedHeader.get(HEADER_ALG) !== ALG_EDDSA) throw new CoseError('unsupported', 'protected alg must be EdDSA (-8)');
  // §3.1: we understand alg and kid only, so any other label (crit among them) is refused.
  for (const label of protectedHeader.keys()) {
    if (label !== HEADER_ALG && label !== HEADER_KID) throw new CoseError('unsupported', `protected header label ${String(label)}`);
  }
  const kid = protectedHeader.get(HEADER_KID);
  if (kid !== undefined && !(kid instanceof Uint8Array)) throw new CoseError('malformed', 'kid is a bstr');
  return { protectedBytes, protectedHeader, payload, signature, kid };
}

function decodeProtected(protectedBytes: Uint8Array): CborMap {
  // §3: an empty protected header is a zero-length bstr; we require alg in it, so it never is.
  if (protectedBytes.length === 0) return new Map();
  let header: CborValue;
  try {
    header = decodeCbor(protectedBytes);
  } catch (error) {
    if (error instanceof CborError) throw new CoseError('malformed', `protected header: ${error.message}`);
    throw error;
  }
  if (!(header instanceof Map)) throw new CoseError('malformed', 'protected header is a map');
  return header;
}

/** True when `sign1`'s signature verifies under the Ed25519 `publicKey`. */
export function verifySign1(verifier: Ed25519Verifier, sign1: Sign1, publicKey: Uint8Array, externalAad: Uint8Array = new Uint8Array(0)): boolean {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  return verifier.verify(sign1.signature, sigStructure(sign1.protectedBytes, sign1.payload, externalAad), publicKey);
}
