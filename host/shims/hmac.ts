// Host shim of Moddable "hmac" (modules/crypt/etc/hmac.js, SDK 8.2): `new HMAC(digest, key,
// bits?)` over a crypt Digest, on node:crypto's HMAC with the digest's algorithm. update(...)
// writes each argument, close() returns the MAC as an ArrayBuffer, reset() starts a new message
// with the same key, process(...) = reset, update each, close. A key longer than the digest's
// block is hashed first (RFC 2104 §3), which node:crypto does too.
import { createHmac } from 'node:crypto';
import type { Hmac } from 'node:crypto';
import type { Digest } from './crypt.js';
import { readableBytes } from './host/xs-values.js';

type BufferLike = ArrayBuffer | ArrayBufferView;

export default class HMAC {
  readonly #algorithm: string;
  readonly #key: Uint8Array;
  #mac: Hmac;

  constructor(digest: Digest, key: BufferLike, _bits = 0) {
    this.#algorithm = digest.nodeAlgorithm;
    this.#key = readableBytes(key).slice();
    this.#mac = createHmac(this.#algorithm, this.#key);
  }
  update(...items: (string | BufferLike)[]): void {
    for (const item of items) this.#mac.update(typeof item === 'string' ? item : readableBytes(item));
  }
  close(): ArrayBuffer {
    const out = this.#mac.digest();
    this.reset();
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
  reset(): void {
    this.#mac = createHmac(this.#algorithm, this.#key);
  }
  process(...items: (string | BufferLike)[]): ArrayBuffer {
    this.reset();
    this.update(...items);
    return this.close();
  }
}
