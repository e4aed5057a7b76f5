// The primitives the Moddable SDK lacks, from @noble: what the device took from noble before its
// curves went native (device-curves.ts), kept as the bundle the XS-on-the-host tests load.
// esbuild bundles this file into build/noble.js (tools/flash/bundle-noble.mjs); never preloaded
// (noble keeps scratch buffers and caches at module scope). Not in the device image.
export { chacha20poly1305 } from '@noble/ciphers/chacha.js';
export { x25519, ed25519 } from '@noble/curves/ed25519.js';
export { randomBytes } from '@noble/hashes/utils.js';
