// The C functions of modules/crypto/native/symmetric.h (the nRF52's Oberon SHA-256, HMAC-SHA256
// and AES-256-GCM) over node:crypto, for the mc/ffi shim: same arguments, same statuses. The C
// keeps a running SHA-256 in the caller's state buffer; here the buffer keys the running hash.
import { createHash, createHmac } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { aeadCalls } from './native-aead.js';

/** IMPLANT_SHA256_STATE_BYTES in symmetric.h. */
const STATE_BYTES = 112;
const running = new WeakMap<ArrayBuffer, Hash>();
const bytes = (buffer: ArrayBuffer, length = buffer.byteLength) => new Uint8Array(buffer, 0, length);
const goodState = (state: ArrayBuffer, length: number) => state instanceof ArrayBuffer && state.byteLength === STATE_BYTES && length === STATE_BYTES;

export const nativeSymmetric = {
  implant_sha256_init(state: ArrayBuffer, length: number): number {
    if (!goodState(state, length)) return -1;
    running.set(state, createHash('sha256'));
    return 0;
  },
  implant_sha256_update(state: ArrayBuffer, length: number, data: ArrayBuffer, dataLength: number): number {
    const hash = goodState(state, length) ? running.get(state) : undefined;
    if (!hash) return -1;
    hash.update(bytes(data, dataLength));
    return 0;
  },
  implant_sha256_final(digest: ArrayBuffer, state: ArrayBuffer, length: number): number {
    const hash = goodState(state, length) ? running.get(state) : undefined;
    if (!hash) return -1;
    running.delete(state);
    bytes(digest).set(hash.digest());
    return 0;
  },
  implant_hmac_sha256(mac: ArrayBuffer, key: ArrayBuffer, keyLength: number, data: ArrayBuffer, dataLength: number): number {
    bytes(mac).set(createHmac('sha256', bytes(key, keyLength)).update(bytes(data, dataLength)).digest());
    return 0;
  },
  ...aeadCalls('aes_gcm', 'aes-256-gcm'),
};
