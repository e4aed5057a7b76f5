// The device runs noble with small or no base-point tables (docs/memory.md), which takes other
// code paths than noble's default window of 6. Those paths must give the same answers: RFC 8032
// and RFC 7748 known answers and every Ed25519 Wycheproof case, at each window we may ship.
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { nobleProvider as p, setBasePointWindow } from '../../modules/crypto/noble-provider.js';
import { equal } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import { runWycheproof } from './wycheproof.js';

/** noble's own default, restored after each case so other files see the usual setup. */
const NOBLE_DEFAULT_WINDOW = 6;

describe('noble with smaller base-point windows', () => {
  afterEach(() => setBasePointWindow(NOBLE_DEFAULT_WINDOW));

  for (const window of [1, 2, 4]) {
    it(`window ${window}: RFC 8032 / RFC 7748 known answers and every Ed25519 Wycheproof case`, () => {
      setBasePointWindow(window);
      const secret = fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb'); // RFC 8032 §7.1 test 2
      equal(toHex(p.ed25519.publicKey(secret)), '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c');
      const signature = p.ed25519.sign(fromHex('72'), secret);
      equal(toHex(signature).slice(0, 32), '92a009a9f0d4cab8720e820b5f642540');
      equal(p.ed25519.verify(signature, fromHex('72'), p.ed25519.publicKey(secret)), true);
      const bob = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'); // RFC 7748 §6.1
      equal(toHex(p.x25519.publicKey(bob)), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
      const wrong = runWycheproof('ed25519', p).filter((r) => r.actual !== r.expected);
      equal(wrong.length, 0, `Ed25519 Wycheproof cases wrong at window ${window}`);
      testHost().log(`[${testHost().engine}] window ${window}: known answers and 151 Ed25519 cases as expected`);
    });
  }
});
