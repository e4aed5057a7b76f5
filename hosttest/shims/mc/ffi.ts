// Host shim of "mc/ffi": the class mcconfig generates from the manifest's "ffi.functions"
// (SDK documentation/xs/XS FFI.md), with each of our C functions done in Node. Arguments convert
// as the generated glue does: a "uint8_t*" is an ArrayBuffer's data (NULL when detached or not a
// buffer), integers go through ToUint32.
import { randomFillSync } from 'node:crypto';
import { toUint32 } from '../host/xs-values.js';

export default class FFI {
  /** modules/crypto/native/random.c: 0, or -1 for a NULL buffer. */
  implant_random_fill(buffer: ArrayBuffer, offset: number, length: number): number {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 && toUint32(length) > 0) return -1;
    randomFillSync(new Uint8Array(buffer, toUint32(offset), toUint32(length)));
    return 0;
  }
}
