// The only door to @noble on the host, Node and XS alike ("noble" resolves here there): the
// device subset plus the hashes and AES-GCM that the device takes from native crypt instead.
export * from './noble-device-entry.js';
export { sha256 } from '@noble/hashes/sha2.js';
export { hmac } from '@noble/hashes/hmac.js';
export { hkdf } from '@noble/hashes/hkdf.js';
export { gcm } from '@noble/ciphers/aes.js';
