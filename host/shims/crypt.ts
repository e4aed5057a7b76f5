// Host shim of Moddable "crypt" (modules/crypt/digest/crypt.js over modCrypt.c, SDK 8.2), on
// node:crypto. Kept from the device:
// - Digest types MD5 SHA1 SHA224 SHA256 SHA384 SHA512 (and GHASH through the GHASH class);
//   anything else throws "crypt: unsupported digest". write() takes a string (its UTF-8) or any
//   buffer or view; close() returns an ArrayBuffer; reset() starts over; process(...) = reset,
//   write each, close.
// - BlockCipher("AES", key): key must be an ArrayBuffer of 16, 24 or 32 bytes ("bad key size");
//   encrypt/decrypt(block, out?) process exactly one block from an ArrayBuffer or string.
// - Mode("CTR", cipher, iv?): the counter is the whole 16-byte block, big-endian, and a short IV
//   is right-aligned into it (ctr_setIV); the keystream position carries across calls.
// - GHASH(h, aad?): every write() zero-pads its own partial block (it does not buffer), so GCM
//   over this GHASH is only correct when all data goes through in one encrypt/decrypt call.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { Cipher, Hash } from 'node:crypto';
import { readableBytes } from './host/xs-values.js';

type BufferLike = ArrayBuffer | ArrayBufferView;
export type DigestType = 'MD5' | 'SHA1' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';

const DIGESTS: Readonly<Record<DigestType, { node: string; blockSize: number; outputSize: number }>> = Object.freeze({
  MD5: { node: 'md5', blockSize: 64, outputSize: 16 },
  SHA1: { node: 'sha1', blockSize: 64, outputSize: 20 },
  SHA224: { node: 'sha224', blockSize: 64, outputSize: 28 },
  SHA256: { node: 'sha256', blockSize: 64, outputSize: 32 },
  SHA384: { node: 'sha384', blockSize: 128, outputSize: 48 },
  SHA512: { node: 'sha512', blockSize: 128, outputSize: 64 },
});

/** xsmcToArrayBuffer: only an ArrayBuffer will do. */
function arrayBufferArg(value: unknown, what: string): Uint8Array {
  if (!(value instanceof ArrayBuffer)) throw new TypeError(`crypt: ${what}: not an ArrayBuffer`);
  return new Uint8Array(value);
}

/** Strings are hashed as their UTF-8 bytes, anything else must be a buffer or a view. */
function dataArg(data: unknown): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : readableBytes(data);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export class Digest {
  readonly #type: DigestType;
  #hash: Hash;

  constructor(type: DigestType) {
    if (!Object.hasOwn(DIGESTS, type)) throw new Error('crypt: unsupported digest');
    this.#type = type;
    this.#hash = createHash(DIGESTS[type].node);
  }
  write(data: string | BufferLike): void {
    this.#hash.update(dataArg(data));
  }
  update(data: string | BufferLike): void {
    this.write(data);
  }
  /** Finishes; the digest must be reset() before it is written again. */
  close(): ArrayBuffer {
    const out = this.#hash.digest();
    this.#hash = createHash(DIGESTS[this.#type].node);
    return toArrayBuffer(out);
  }
  reset(): void {
    this.#hash = createHash(DIGESTS[this.#type].node);
  }
  process(...items: (string | BufferLike)[]): ArrayBuffer {
    this.reset();
    for (const item of items) this.write(item);
    return this.close();
  }
  get blockSize(): number {
    return DIGESTS[this.#type].blockSize;
  }
  get outputSize(): number {
    return DIGESTS[this.#type].outputSize;
  }
  /** The node:crypto algorithm name, for the hmac shim. */
  get nodeAlgorithm(): string {
    return DIGESTS[this.#type].node;
  }
}

/** Multiplication in GF(2^128) with GCM's bit order (NIST SP 800-38D §6.3). */
function gfMultiply(x: bigint, y: bigint): bigint {
  const R = 0xe1n << 120n;
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

function blockToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigIntToBlock(n: bigint): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

/** GHASH as modCrypt.c exposes it (see the header comment for its padding behaviour). */
export class GHASH {
  readonly #h: bigint;
  readonly #y0: bigint;
  readonly #aadLength: number;
  #y: bigint;
  #length = 0;

  constructor(h: ArrayBuffer, aad?: ArrayBuffer) {
    this.#h = blockToBigInt(arrayBufferArg(h, 'GHASH key').subarray(0, 16));
    let y = 0n;
    let aadLength = 0;
    if (aad) {
      const bytes = arrayBufferArg(aad, 'GHASH aad');
      y = this.#absorb(0n, bytes);
      aadLength = bytes.length;
    }
    this.#y0 = this.#y = y;
    this.#aadLength = aadLength;
  }
  #absorb(y: bigint, bytes: Uint8Array): bigint {
    for (let i = 0; i < bytes.length; i += 16) {
      const block = new Uint8Array(16);
      block.set(bytes.subarray(i, i + 16));
      y = gfMultiply(y ^ blockToBigInt(block), this.#h);
    }
    return y;
  }
  write(data: BufferLike): void {
    const bytes = dataArg(data);
    this.#y = this.#absorb(this.#y, bytes);
    this.#length += bytes.length;
  }
  update(data: BufferLike): void {
    this.write(data);
  }
  close(): ArrayBuffer {
    const lengths = (BigInt(this.#aadLength * 8) << 64n) | BigInt(this.#length * 8);
    const out = bigIntToBlock(gfMultiply(this.#y ^ lengths, this.#h));
    return toArrayBuffer(out);
  }
  reset(): void {
    this.#y = this.#y0;
    this.#length = 0;
  }
  process(...items: BufferLike[]): ArrayBuffer {
    this.reset();
    for (const item of items) this.write(item);
    return this.close();
  }
  get blockSize(): number {
    return 16;
  }
  get outputSize(): number {
    return 16;
  }
}

export type BlockCipherName = 'AES';

export class BlockCipher {
  readonly #key: Uint8Array;

  constructor(name: BlockCipherName, key: ArrayBuffer) {
    if (name !== 'AES') throw new Error('unsupported cipher'); // DES/TDES exist on the device; we never use them
    const bytes = arrayBufferArg(key, 'cipher key');
    if (bytes.length !== 16 && bytes.length !== 24 && bytes.length !== 32) throw new Error('bad key size');
    this.#key = bytes.slice();
  }
  #process(decrypt: boolean, data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer {
    if (result && result.byteLength < 16) throw new Error('buffer too small');
    const input = typeof data === 'string' ? new TextEncoder().encode(data) : arrayBufferArg(data, 'block');
    if (input.length < 16) throw new Error('bad size');
    const algorithm = `aes-${this.#key.length * 8}-ecb`;
    const engine = decrypt ? createDecipheriv(algorithm, this.#key, null) : createCipheriv(algorithm, this.#key, null);
    engine.setAutoPadding(false);
    const out = engine.update(input.subarray(0, 16));
    const target = result ?? new ArrayBuffer(16);
    new Uint8Array(target).set(out);
    return target;
  }
  encrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer {
    return this.#process(false, data, result);
  }
  decrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer {
    return this.#process(true, data, result);
  }
  get keySize(): number {
    return this.#key.length;
  }
  get blockSize(): number {
    return 16;
  }
  /** The raw key, for the CTR mode shim (node:crypto keeps its own key schedule). */
  get keyBytes(): Uint8Array {
    return this.#key;
  }
}

export type ModeName = 'CTR';

/** Mode("CTR", cipher, iv?) over the same AES key; ECB and CBC are not used by the firmware. */
export class Mode {
  readonly #cipher: BlockCipher;
  #stream: Cipher | undefined;

  constructor(name: ModeName, cipher: BlockCipher, iv?: ArrayBuffer) {
    if (name !== 'CTR') throw new Error('unsupported mode');
    this.#cipher = cipher;
    if (iv) this.setIV(iv);
  }
  setIV(iv: ArrayBuffer): void {
    const bytes = arrayBufferArg(iv, 'iv');
    const counter = new Uint8Array(16);
    const used = bytes.subarray(0, 16);
    counter.set(used, 16 - used.length);
    this.#stream = createCipheriv(`aes-${this.#cipher.keySize * 8}-ctr`, this.#cipher.keyBytes, counter);
  }
  encrypt(data: BufferLike, result?: ArrayBuffer): ArrayBuffer {
    const input = readableBytes(data);
    if (result && result.byteLength < input.length) throw new Error('output too small');
    // The device runs from an all-zero counter when no IV was ever set.
    this.#stream ??= createCipheriv(`aes-${this.#cipher.keySize * 8}-ctr`, this.#cipher.keyBytes, new Uint8Array(16));
    const out = this.#stream.update(input);
    const target = result ?? new ArrayBuffer(input.length);
    new Uint8Array(target).set(out);
    return target;
  }
  decrypt(data: BufferLike, result?: ArrayBuffer): ArrayBuffer {
    return this.encrypt(data, result);
  }
}
