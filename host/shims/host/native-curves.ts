// The C functions of modules/crypto/native/curves.h done over node:crypto (OpenSSL), for the
// mc/ffi shim: same arguments (ArrayBuffers sized as the FFI glue checks them), same statuses.
// Raw keys go into OpenSSL through their fixed PKCS#8 / SPKI DER prefixes (RFC 8410).
import { createPrivateKey, createPublicKey, diffieHellman, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { aeadCalls } from './native-aead.js';

const X25519_PRIVATE = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_PUBLIC = Buffer.from('302a300506032b656e032100', 'hex');
const ED25519_PRIVATE = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_PUBLIC = Buffer.from('302a300506032b6570032100', 'hex');
/** RFC 7748 §4.1: u = 9. */
const BASE_POINT = Buffer.alloc(32).fill(9, 0, 1);

const bytes = (buffer: ArrayBuffer, length = buffer.byteLength) => new Uint8Array(buffer, 0, length);
const key = (prefix: Buffer, raw: ArrayBuffer, isPrivate: boolean): KeyObject => {
  const der = Buffer.concat([prefix, bytes(raw, 32)]);
  return isPrivate ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) : createPublicKey({ key: der, format: 'der', type: 'spki' });
};

function x25519(out: ArrayBuffer, scalar: ArrayBuffer, point: ArrayBuffer): number {
  try {
    bytes(out).set(diffieHellman({ privateKey: key(X25519_PRIVATE, scalar, true), publicKey: key(X25519_PUBLIC, point, false) }));
    return 0;
  } catch {
    bytes(out).fill(0); // OpenSSL refuses exactly the all-zero result, which the C returns as -1
    return -1;
  }
}

export const nativeCurves = {
  implant_x25519: x25519,
  implant_x25519_base: (out: ArrayBuffer, scalar: ArrayBuffer): number => x25519(out, scalar, BASE_POINT.buffer.slice(BASE_POINT.byteOffset, BASE_POINT.byteOffset + 32)),
  implant_ed25519_public(out: ArrayBuffer, seed: ArrayBuffer): number {
    const der = createPublicKey(key(ED25519_PRIVATE, seed, true)).export({ format: 'der', type: 'spki' });
    bytes(out).set(der.subarray(ED25519_PUBLIC.length));
    return 0;
  },
  implant_ed25519_sign(signature: ArrayBuffer, message: ArrayBuffer, length: number, seed: ArrayBuffer): number {
    bytes(signature).set(sign(null, bytes(message, length), key(ED25519_PRIVATE, seed, true)));
    return 0;
  },
  implant_ed25519_verify(signature: ArrayBuffer, message: ArrayBuffer, length: number, publicKey: ArrayBuffer): number {
    try {
      return verify(null, bytes(message, length), key(ED25519_PUBLIC, publicKey, false), bytes(signature, 64)) ? 1 : 0;
    } catch {
      return 0; // a public key OpenSSL cannot decode
    }
  },
  ...aeadCalls('chachapoly', 'chacha20-poly1305'),
};
