// SHA-256, HMAC-SHA256, HKDF-SHA256 (over that HMAC) and AES-256-GCM from Moddable's `crypt` (C):
// the native AES block cipher, with CTR and GHASH driven by the SDK's "gcm" module. The ESP32 and
// lin builds use this file; the nRF52 build maps the same specifier to
// platforms/nrf52/device-symmetric.ts (Oberon, so `crypt` stays out of that image; manifest.json).
// On the host the SDK specifiers resolve to host/shims/ (node:crypto).
/// <reference path="./moddable-crypt.d.ts" />
import * as crypt from 'crypt';
import GCM from 'gcm';
import HMAC from 'hmac';
import { equalBytes } from '../core/bytes.js';
import { AEAD_TAG_BYTES, checkAeadSizes } from './checks.js';
import type { Aead, HashStream } from './provider.js';
import { symmetricPrimitives } from './symmetric.js';
import type { SymmetricPrimitives } from './symmetric.js';

// The SDK's crypt.d.ts declares only Digest; crypt.js exports BlockCipher too.
const { BlockCipher, Digest } = crypt as unknown as NativeCrypt;

/** The native functions take ArrayBuffers (xsmcToArrayBuffer); copy a view into its own buffer. */
function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

function sha256Stream(): HashStream {
  const digest = new Digest('SHA256');
  return {
    update: (data) => digest.write(data),
    digest: () => new Uint8Array(digest.close()),
  };
}

function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(new HMAC(new Digest('SHA256'), key).process(data));
}

function gcmFor(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array): GCM {
  checkAeadSizes(key, nonce);
  const gcm = new GCM(new BlockCipher('AES', arrayBuffer(key)));
  gcm.init(arrayBuffer(nonce), arrayBuffer(ad));
  return gcm;
}

// One encrypt/decrypt call per message: the SDK's GHASH pads each call to a block.
const aesGcm: Aead = {
  seal(key, nonce, ad, plaintext) {
    const gcm = gcmFor(key, nonce, ad);
    const ciphertext = new Uint8Array(gcm.encrypt(arrayBuffer(plaintext)));
    const out = new Uint8Array(ciphertext.length + AEAD_TAG_BYTES);
    out.set(ciphertext);
    out.set(new Uint8Array(gcm.close()), ciphertext.length);
    return out;
  },
  open(key, nonce, ad, sealed) {
    const gcm = gcmFor(key, nonce, ad);
    if (sealed.length < AEAD_TAG_BYTES) return undefined;
    const body = sealed.subarray(0, sealed.length - AEAD_TAG_BYTES);
    const plaintext = new Uint8Array(gcm.decrypt(arrayBuffer(body)));
    // Our constant-time compare, not the SDK's GCM.process, whose "bin" comp stops at the first
    // differing byte.
    return equalBytes(new Uint8Array(gcm.close()), sealed.subarray(body.length)) ? plaintext : undefined;
  },
};

export const nativeSymmetric: SymmetricPrimitives = symmetricPrimitives(sha256Stream, hmacSha256, aesGcm);
