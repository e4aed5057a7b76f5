// The only door to @noble. On the device esbuild bundles this file into one module ("noble")
// that is never preloaded (noble keeps scratch buffers and caches at module scope).
export { sha256 } from '@noble/hashes/sha2.js';
export { hmac } from '@noble/hashes/hmac.js';
export { hkdf } from '@noble/hashes/hkdf.js';
export { chacha20poly1305 } from '@noble/ciphers/chacha.js';
export { gcm } from '@noble/ciphers/aes.js';
export { x25519, ed25519 } from '@noble/curves/ed25519.js';
export { randomBytes } from '@noble/hashes/utils.js';
