// X25519, Ed25519 and ChaCha20-Poly1305 from each board's native library, through the manifest's
// "ffi" (modules/crypto/native/curves-*.c: nRF52 Oberon, ESP32 and lin libsodium), and random
// bytes from the hardware source device-random.ts installs. The checks every provider shares
// run here first, so the native code only computes. On the host "mc/ffi" is the shim over
// node:crypto (host/shims/mc/ffi.ts), which the Wycheproof suites run through.
import FFI from 'mc/ffi';
import { checkCanonicalX25519, X25519_KEY_BYTES } from './checks.js';
import { checkEd25519Encodings, ED25519_PUBLIC_BYTES, ED25519_SIGNATURE_BYTES } from './ed25519-checks.js';
import { CryptoError } from './provider.js';
import type { CryptoProvider } from './provider.js';
import { ffiBuffer as buffer, nativeAead, ok } from './native-calls.js';
import { MAX_RANDOM_BYTES } from './random-source.js';

const native = new FFI();

function checkKey32(bytes: Uint8Array, what: string): void {
  if (bytes.length !== X25519_KEY_BYTES) throw new CryptoError('bad-length', `${what} must be 32 bytes, got ${bytes.length}`);
}

function x25519Public(secretKey: Uint8Array): Uint8Array {
  checkKey32(secretKey, 'X25519 secret key');
  const out = new ArrayBuffer(32);
  ok(native.implant_x25519_base(out, buffer(secretKey)), 'X25519');
  return new Uint8Array(out);
}

function x25519Shared(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  checkCanonicalX25519(publicKey);
  checkKey32(secretKey, 'X25519 secret key');
  const out = new ArrayBuffer(32);
  const status = native.implant_x25519(out, buffer(secretKey), buffer(publicKey));
  if (status === -1) throw new CryptoError('x25519-low-order', 'X25519 public key has small order');
  ok(status, 'X25519');
  return new Uint8Array(out);
}

function ed25519Public(secretKey: Uint8Array): Uint8Array {
  checkKey32(secretKey, 'Ed25519 secret key');
  const out = new ArrayBuffer(ED25519_PUBLIC_BYTES);
  ok(native.implant_ed25519_public(out, buffer(secretKey)), 'Ed25519');
  return new Uint8Array(out);
}

function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  checkKey32(secretKey, 'Ed25519 secret key');
  const out = new ArrayBuffer(ED25519_SIGNATURE_BYTES);
  ok(native.implant_ed25519_sign(out, buffer(message), message.length, buffer(secretKey)), 'Ed25519');
  return new Uint8Array(out);
}

function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!checkEd25519Encodings(signature, publicKey)) return false;
  return native.implant_ed25519_verify(buffer(signature), buffer(message), message.length, buffer(publicKey)) === 1;
}

const chachaPoly = nativeAead('ChaCha20-Poly1305', (...a) => native.implant_chachapoly_seal(...a), (...a) => native.implant_chachapoly_open(...a));

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  const source = (globalThis as unknown as { crypto: { getRandomValues(bytes: Uint8Array): Uint8Array } }).crypto;
  for (let at = 0; at < length; at += MAX_RANDOM_BYTES) source.getRandomValues(out.subarray(at, at + MAX_RANDOM_BYTES));
  return out;
}

export const nativeCurves: Pick<CryptoProvider, 'chachaPoly' | 'x25519' | 'ed25519' | 'randomBytes'> = Object.freeze({
  chachaPoly,
  x25519: Object.freeze({ publicKey: x25519Public, shared: x25519Shared }),
  ed25519: Object.freeze({ publicKey: ed25519Public, sign: ed25519Sign, verify: ed25519Verify }),
  randomBytes,
});
