// Types the SDK's typings leave out: the "gcm" and "hmac" modules (modules/crypt/etc/*.js) have
// none, and crypt.d.ts declares only Digest (crypt.js also exports BlockCipher, GHASH, Mode:
// see NativeCrypt below). Signatures follow the SDK 8.2 sources; the host shims in
// host/shims/ implement the same ones. Referenced from device-symmetric.ts.

type CryptBuffer = ArrayBuffer | ArrayBufferView;

/** The part of "crypt" beyond Digest that the device provider uses. */
interface NativeCrypt {
  Digest: new (type: 'SHA256') => NativeDigest;
  BlockCipher: new (name: 'AES', key: ArrayBuffer) => NativeBlockCipher;
}

interface NativeDigest {
  write(data: string | CryptBuffer): void;
  close(): ArrayBuffer;
  reset(): void;
  readonly blockSize: number;
  readonly outputSize: number;
}

interface NativeBlockCipher {
  encrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
  decrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
  readonly keySize: number;
  readonly blockSize: number;
}

declare module 'gcm' {
  export default class GCM {
    constructor(cipher: NativeBlockCipher, tagLength?: number);
    /** A 12-byte IV is used as is; any other length goes through GHASH. */
    init(iv: ArrayBuffer, aad?: ArrayBuffer): void;
    /** Pass a whole message per call: GHASH pads each call to a block. */
    encrypt(data: CryptBuffer, buf?: ArrayBuffer): ArrayBuffer;
    decrypt(data: CryptBuffer, buf?: ArrayBuffer): ArrayBuffer;
    /** The 16-byte tag. */
    close(): ArrayBuffer;
    process(data: CryptBuffer, buf: ArrayBuffer | undefined, iv: ArrayBuffer, aad: ArrayBuffer | undefined, encrypt: boolean): ArrayBuffer | undefined;
  }
}

declare module 'hmac' {
  export default class HMAC {
    constructor(digest: NativeDigest, key: CryptBuffer, bits?: number);
    update(...items: (string | CryptBuffer)[]): void;
    close(): ArrayBuffer;
    reset(): void;
    process(...items: (string | CryptBuffer)[]): ArrayBuffer;
  }
}
