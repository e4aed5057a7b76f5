// Host shim of Moddable "gcm" (modules/crypt/etc/gcm.js, SDK 8.2): AES-GCM built, as on the
// device, from the crypt shim's BlockCipher, Mode("CTR") and GHASH (NIST SP 800-38D §7).
// Kept from the device:
// - init(iv, aad?) takes ArrayBuffers; a 12-byte IV gives J0 = IV || 0^31 || 1, any other
//   length J0 = GHASH(IV).
// - The counter after J0 is J0 + 1 over all 128 bits (the SDK does not wrap the low 32 bits as
//   §6.2 inc32 would), which matters only for IVs that are not 12 bytes.
// - encrypt/decrypt(data) return ArrayBuffers and feed GHASH, which pads every call: pass a
//   whole message in one call. close() returns the full 16-byte tag.
// - process(data, buf, iv, aad, encrypt) returns ciphertext || tag, or on decryption the
//   plaintext, or undefined when the tag differs (compared as the SDK does, with "bin" comp).
import { Mode, GHASH } from './crypt.js';
import type { BlockCipher } from './crypt.js';
import { readableBytes } from './host/xs-values.js';

type BufferLike = ArrayBuffer | ArrayBufferView;

export default class GCM {
  readonly #block: BlockCipher;
  readonly #ctr: Mode;
  readonly #tagLength: number;
  #ghash: GHASH | undefined;
  #y0: ArrayBuffer | undefined;

  constructor(cipher: BlockCipher, tagLength = 16) {
    this.#block = cipher;
    this.#ctr = new Mode('CTR', cipher);
    this.#tagLength = tagLength;
  }
  init(iv: ArrayBuffer, aad?: ArrayBuffer): void {
    const h = this.#block.encrypt(new ArrayBuffer(16));
    this.#ghash = new GHASH(h, aad);
    let y0: Uint8Array;
    if (iv.byteLength === 12) {
      y0 = new Uint8Array(16);
      y0.set(new Uint8Array(iv));
      y0[15] = 1;
    } else {
      y0 = new Uint8Array(new GHASH(h).process(iv));
    }
    this.#y0 = y0.slice().buffer;
    const y1 = y0.slice();
    for (let i = 15; i >= 0; i--) {
      y1[i] = (y1[i] + 1) & 0xff; // + 1 over the whole block, carrying
      if (y1[i] !== 0) break;
    }
    this.#ctr.setIV(y1.buffer);
  }
  #state(): GHASH {
    if (!this.#ghash) throw new TypeError('gcm: init() first');
    return this.#ghash;
  }
  encrypt(data: BufferLike, buf?: ArrayBuffer): ArrayBuffer {
    const ghash = this.#state();
    const out = this.#ctr.encrypt(data, buf);
    ghash.update(out);
    return out;
  }
  decrypt(data: BufferLike, buf?: ArrayBuffer): ArrayBuffer {
    this.#state().update(data);
    return this.#ctr.decrypt(data, buf);
  }
  close(): ArrayBuffer {
    const t = new Uint8Array(this.#state().close());
    const mask = new Uint8Array(this.#block.encrypt(this.#y0!));
    for (let i = 0; i < 16; i++) t[i] ^= mask[i];
    return t.buffer;
  }
  process(data: BufferLike, buf: ArrayBuffer | undefined, iv: ArrayBuffer, aad: ArrayBuffer | undefined, encrypt: boolean): ArrayBuffer | undefined {
    this.init(iv, aad);
    if (encrypt) {
      const ct = new Uint8Array(this.encrypt(data, buf));
      const tag = new Uint8Array(this.close()).subarray(0, this.#tagLength);
      const out = new Uint8Array(ct.length + tag.length);
      out.set(ct);
      out.set(tag, ct.length);
      return out.buffer;
    }
    const bytes = readableBytes(data);
    const body = bytes.subarray(0, bytes.length - this.#tagLength);
    const plain = this.decrypt(body, buf);
    const tag = new Uint8Array(this.close());
    const expected = bytes.subarray(bytes.length - this.#tagLength);
    for (let i = 0; i < this.#tagLength; i++) if (tag[i] !== expected[i]) return undefined;
    return plain;
  }
}
