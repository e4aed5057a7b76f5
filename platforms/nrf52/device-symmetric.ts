// The nRF52 build's "modules/crypto/device-symmetric" (manifest.json maps it here): SHA-256,
// HMAC-SHA256, HKDF-SHA256 and AES-256-GCM from Oberon through the nRF52 part of the manifest's
// "ffi" (modules/crypto/native/symmetric-oberon.c), so Moddable's `crypt` is not linked on this
// board. Its imports climb two levels, as they would from modules/crypto/, because XS resolves
// them against the specifier, not this file's path. On the host "mc/ffi" is the shim over
// node:crypto, and the Wycheproof suites run through this file (hosttest/crypto/native-vs-noble.test.ts).
import FFI from 'mc/ffi';
import { ffiBuffer, nativeAead, ok } from '../../modules/crypto/native-calls.js';
import type { HashStream } from '../../modules/crypto/provider.js';
import { symmetricPrimitives } from '../../modules/crypto/symmetric.js';
import type { SymmetricPrimitives } from '../../modules/crypto/symmetric.js';

const native = new FFI();
/** IMPLANT_SHA256_STATE_BYTES in modules/crypto/native/symmetric.h. */
const SHA256_STATE_BYTES = 112;

function sha256Stream(): HashStream {
  const state = new ArrayBuffer(SHA256_STATE_BYTES);
  ok(native.implant_sha256_init(state, SHA256_STATE_BYTES), 'SHA-256');
  let finished = false;
  return {
    update(data) {
      if (finished) throw new Error('SHA-256: stream already finished');
      ok(native.implant_sha256_update(state, SHA256_STATE_BYTES, ffiBuffer(data), data.length), 'SHA-256');
    },
    digest() {
      if (finished) throw new Error('SHA-256: stream already finished');
      finished = true;
      const out = new ArrayBuffer(32);
      ok(native.implant_sha256_final(out, state, SHA256_STATE_BYTES), 'SHA-256');
      return new Uint8Array(out);
    },
  };
}

function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new ArrayBuffer(32);
  ok(native.implant_hmac_sha256(out, ffiBuffer(key), key.length, ffiBuffer(data), data.length), 'HMAC-SHA256');
  return new Uint8Array(out);
}

const aesGcm = nativeAead('AES-256-GCM', (...a) => native.implant_aes_gcm_seal(...a), (...a) => native.implant_aes_gcm_open(...a));

export const nativeSymmetric: SymmetricPrimitives = symmetricPrimitives(sha256Stream, hmacSha256, aesGcm);
