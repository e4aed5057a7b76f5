// What every provider half over the manifest's "ffi" shares (device-curves.ts, and the nRF52's
// platforms/nrf52/device-symmetric.ts): ArrayBuffers for the C side, a status check, and an AEAD
// over a seal/open pair of the shape in modules/crypto/native/curves.h.
import { AEAD_TAG_BYTES, checkAeadSizes } from './checks.js';
import type { Aead } from './provider.js';

/** A fresh ArrayBuffer holding `bytes` (the FFI glue takes ArrayBuffers, not views), at least 1 byte long. */
export function ffiBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new Uint8Array(Math.max(1, bytes.length));
  out.set(bytes);
  return out.buffer as ArrayBuffer;
}

/** A native call that must succeed: a status other than 0 is a fault of the board, not of the input. */
export function ok(status: number, what: string): void {
  if (status !== 0) throw new Error(`${what}: native status ${status}`);
}

/** out = ciphertext || tag; open returns 0 only for a tag that verifies. */
export type NativeAeadCall = (out: ArrayBuffer, key: ArrayBuffer, nonce: ArrayBuffer, ad: ArrayBuffer, adLength: number, input: ArrayBuffer, inputLength: number) => number;

export function nativeAead(name: string, seal: NativeAeadCall, open: NativeAeadCall): Aead {
  return Object.freeze({
    seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
      checkAeadSizes(key, nonce);
      const out = new ArrayBuffer(plaintext.length + AEAD_TAG_BYTES);
      ok(seal(out, ffiBuffer(key), ffiBuffer(nonce), ffiBuffer(ad), ad.length, ffiBuffer(plaintext), plaintext.length), name);
      return new Uint8Array(out);
    },
    open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
      checkAeadSizes(key, nonce);
      if (sealed.length < AEAD_TAG_BYTES) return undefined;
      const out = new ArrayBuffer(Math.max(1, sealed.length - AEAD_TAG_BYTES));
      const status = open(out, ffiBuffer(key), ffiBuffer(nonce), ffiBuffer(ad), ad.length, ffiBuffer(sealed), sealed.length);
      return status === 0 ? new Uint8Array(out, 0, sealed.length - AEAD_TAG_BYTES) : undefined;
    },
  });
}
