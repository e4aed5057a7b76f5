// Resolvable private addresses (Bluetooth Core 5.4 Vol 6 Part B §1.3.2.2) and the ah function
// that makes and resolves them (Vol 3 Part H §2.2.2): how a programmer recognises the implant it
// is bonded with while the implant's address changes every rotation (docs/privacy.md).
// Addresses are 6 bytes least significant first, as NimBLE, the SoftDevice and Moddable hold them.
import { ecb } from '@noble/ciphers/aes.js';
import { IRK_BYTES } from '../modules/access/identity.js';
import { equalBytes } from '../modules/core/bytes.js';

export const ADDRESS_BYTES = 6;

/** Vol 3 Part H §2.2.2: ah(k, r) = e(k, padding || r) mod 2^24; `prand` and the result are 3 bytes, most significant first. */
export function ah(irk: Uint8Array, prand: Uint8Array): Uint8Array {
  if (irk.length !== IRK_BYTES) throw new RangeError(`an IRK is ${IRK_BYTES} bytes, got ${irk.length}`);
  if (prand.length !== 3) throw new RangeError(`prand is 3 bytes, got ${prand.length}`);
  const block = new Uint8Array(16);
  block.set(prand, 13);
  // Vol 3 Part H §2.2.1: e is AES-128 with the most significant octet of key and data first.
  return ecb(irk, { disablePadding: true }).encrypt(block).slice(13);
}

/** Vol 6 Part B §1.3.2.2: the two most significant bits of a resolvable private address are 0b01. */
export function isResolvablePrivate(address: Uint8Array): boolean {
  return address.length === ADDRESS_BYTES && (address[5] & 0xc0) === 0x40;
}

/** prand (MSB first) from the address's upper 3 bytes, hash from its lower 3. */
const prandOf = (address: Uint8Array) => Uint8Array.of(address[5], address[4], address[3]);
const hashOf = (address: Uint8Array) => Uint8Array.of(address[2], address[1], address[0]);

/** A resolvable private address under `irk` from 3 random bytes (the top two bits are forced to 0b01). */
export function makeResolvableAddress(irk: Uint8Array, random: Uint8Array): Uint8Array {
  if (random.length !== 3) throw new RangeError(`prand is 3 bytes, got ${random.length}`);
  const prand = Uint8Array.of((random[0] & 0x3f) | 0x40, random[1], random[2]);
  const hash = ah(irk, prand);
  return Uint8Array.of(hash[2], hash[1], hash[0], prand[2], prand[1], prand[0]);
}

/** Vol 6 Part B §1.3.2.3: the address resolves under `irk` if its hash equals ah(irk, prand). */
export function resolvesWith(irk: Uint8Array, address: Uint8Array): boolean {
  if (!isResolvablePrivate(address)) return false;
  return equalBytes(ah(irk, prandOf(address)), hashOf(address));
}
