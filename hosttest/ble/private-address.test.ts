// The programmer's resolvable private addresses (programmer/private-address.ts) against the
// Bluetooth Core specification's sample data, and as properties over random IRKs and prands.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { findBonded } from '../../programmer/device-bonds.js';
import { ah, isResolvablePrivate, makeResolvableAddress, resolvesWith } from '../../programmer/private-address.js';

const irkArb = fc.uint8Array({ minLength: 16, maxLength: 16 });
const randomArb = fc.uint8Array({ minLength: 3, maxLength: 3 });
const RUNS = { numRuns: 300, seed: 0x1e7 };

describe('resolvable private addresses (programmer)', () => {
  it('ah matches the Core spec sample data (Vol 3 Part H, Appendix D.7)', () => {
    const irk = fromHex('ec0234a357c8ad05341010a60a397d9b');
    assert.equal(toHex(ah(irk, fromHex('708194'))), '0dfbaa');
  });

  it('an address built from the sample IRK and prand carries the sample hash, least significant byte first', () => {
    const irk = fromHex('ec0234a357c8ad05341010a60a397d9b');
    const address = makeResolvableAddress(irk, fromHex('708194'));
    assert.equal(toHex(address), 'aafb0d948170');
    assert.ok(resolvesWith(irk, address));
  });

  it('refuses keys and prands of the wrong size', () => {
    assert.throws(() => ah(new Uint8Array(15), new Uint8Array(3)), RangeError);
    assert.throws(() => ah(new Uint8Array(16), new Uint8Array(4)), RangeError);
    assert.throws(() => makeResolvableAddress(new Uint8Array(16), new Uint8Array(2)), RangeError);
  });

  it('property: every address made under an IRK is an RPA (top bits 0b01) and resolves under it', () => {
    fc.assert(fc.property(irkArb, randomArb, (irk, random) => {
      const address = makeResolvableAddress(irk, random);
      return isResolvablePrivate(address) && (address[5] >> 6) === 0b01 && resolvesWith(irk, address);
    }), RUNS);
  });

  it('property: an address does not resolve under another IRK, nor with a flipped bit', () => {
    fc.assert(fc.property(irkArb, irkArb, randomArb, fc.integer({ min: 0, max: 45 }), (irk, other, random, bit) => {
      fc.pre(toHex(irk) !== toHex(other));
      const address = makeResolvableAddress(irk, random);
      const flipped = address.slice();
      flipped[bit >> 3] ^= 1 << (bit & 7); // bits 0..45: the hash and prand, never the type bits
      return !resolvesWith(other, address) && !resolvesWith(irk, flipped);
    }), RUNS);
  });

  it('findBonded picks the advertiser and bond that an IRK resolves, or a fixed address matches, and none for a stranger', () => {
    const irkB = new Uint8Array(16).fill(2);
    const fixed = Uint8Array.of(0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
    const key = (n: number) => new Uint8Array(32).fill(n);
    const bonds = [{ deviceStatic: key(1), irk: new Uint8Array(16).fill(1) }, { deviceStatic: key(2), irk: irkB }, { deviceStatic: key(3), address: fixed }];
    const rpa = makeResolvableAddress(irkB, Uint8Array.of(9, 9, 9));
    const phone = { address: Uint8Array.of(1, 2, 3, 4, 5, 0xc6) };
    assert.equal(isResolvablePrivate(phone.address), false);
    assert.equal(findBonded([phone, { address: rpa }], bonds)?.bond, bonds[1]);
    assert.equal(findBonded([phone, { address: fixed }], bonds)?.bond, bonds[2]);
    assert.equal(findBonded([phone, { address: makeResolvableAddress(new Uint8Array(16).fill(7), Uint8Array.of(1, 2, 3)) }], bonds), undefined);
  });
});
