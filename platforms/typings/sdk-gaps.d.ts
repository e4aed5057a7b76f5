// Declarations the Moddable SDK 8.2 typings lack, for the device build only (mcconfig loads
// this file through the manifest's typescript.types). Each one follows the SDK's
// implementation, named per block; the host gets the same shapes from hosttest/shims/.

type SdkBytes = ArrayBuffer | ArrayBufferView;

// modules/crypt/digest/crypt.js + modCrypt.c. The typings declare only Digest, and only with
// string | ArrayBuffer, though the native write reads any buffer (xsmcGetBufferReadable).
declare module "crypt" {
  export interface Digest {
    write(message: string | SdkBytes): void;
    update(message: string | SdkBytes): void;
    process(...messages: (string | SdkBytes)[]): ArrayBuffer;
  }
  // Declared without `extends Digest`: this file is also loaded where the SDK's Digest class
  // is not, and then Digest is only the interface above.
  export class GHASH {
    constructor(h: ArrayBuffer, aad?: ArrayBuffer);
    write(message: SdkBytes): void;
    close(): ArrayBuffer;
    reset(): void;
    process(...messages: SdkBytes[]): ArrayBuffer;
  }
  export class BlockCipher {
    constructor(name: "AES" | "DES" | "TDES", key: ArrayBuffer);
    encrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
    decrypt(data: ArrayBuffer | string, result?: ArrayBuffer): ArrayBuffer;
    get keySize(): number;
    get blockSize(): number;
  }
  export class Mode {
    constructor(name: "ECB" | "CTR" | "CBC", cipher: BlockCipher, iv?: ArrayBuffer, pad?: boolean);
    encrypt(data: SdkBytes, result?: ArrayBuffer, count?: number): ArrayBuffer;
    decrypt(data: SdkBytes, result?: ArrayBuffer, count?: number): ArrayBuffer;
    setIV(iv: ArrayBuffer): void;
  }
}

// modules/crypt/etc/hmac.js (RFC 2104 over a crypt Digest).
declare module "hmac" {
  import type { Digest } from "crypt";
  export default class HMAC {
    constructor(digest: Digest, key: SdkBytes, bits?: number);
    update(...messages: (string | SdkBytes)[]): void;
    close(): ArrayBuffer;
    reset(): void;
    process(...messages: (string | SdkBytes)[]): ArrayBuffer;
  }
}

// modules/crypt/etc/gcm.js (NIST SP 800-38D over a crypt BlockCipher).
declare module "gcm" {
  import type { BlockCipher } from "crypt";
  export default class GCM {
    constructor(cipher: BlockCipher, tagLength?: number);
    init(iv: ArrayBuffer, aad?: ArrayBuffer): void;
    encrypt(data: ArrayBuffer, result?: ArrayBuffer): ArrayBuffer;
    decrypt(data: ArrayBuffer, result?: ArrayBuffer): ArrayBuffer;
    close(): ArrayBuffer;
    process(data: ArrayBuffer, result: ArrayBuffer | undefined, iv: ArrayBuffer, aad: ArrayBuffer | undefined, encrypt: boolean): ArrayBuffer | undefined;
  }
}

// modules/io/system/system.js is imported as "system"; the typings declare the same class
// under "embedded:io/system" only.
declare module "system" {
  import System from "embedded:io/system";
  export default System;
}
