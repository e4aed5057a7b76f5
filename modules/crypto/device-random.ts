// Installs the hardware random source as globalThis.crypto.getRandomValues, as a side effect of
// being imported. main.ts imports it FIRST: noble decides at load whether to blind secret-scalar
// multiplications (it does only if a random source exists then), and noble's key generation
// draws from it. Device adapter; not preloadable (the source must be installed at run time).
// The C side is modules/crypto/native/random.c, bound through the manifest's "ffi".
import FFI from 'mc/ffi';
import { installRandomSource } from './random-source.js';

const native = new FFI();

installRandomSource((bytes) => {
  const status = native.implant_random_fill(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  if (status !== 0) throw new Error(`hardware random source failed (status ${status})`);
});
