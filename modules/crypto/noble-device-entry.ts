// What the device takes from @noble: the primitives the Moddable SDK lacks. SHA-256, HMAC, HKDF
// and AES-GCM come from native crypt there (device-native-provider.ts), so they stay out of the
// device bundle, which saves RAM and the boot-time cost of noble's AES tables. esbuild bundles
// this file into build/noble.js (tools/flash/bundle-noble.mjs), mapped to the specifier "noble";
// it is never preloaded (noble keeps scratch buffers and caches at module scope).
export { chacha20poly1305 } from '@noble/ciphers/chacha.js';
export { x25519, ed25519 } from '@noble/curves/ed25519.js';
export { randomBytes } from '@noble/hashes/utils.js';
