// noble blinds secret-scalar multiplications only if a random source existed when it loaded
// (ScalarMultiplier probes randomBytes once, in its constructor: @noble/curves 2.4
// abstract/curve.js probeRandomBytes). Here the source was installed first (by the XS prelude,
// by Node itself), so every secret multiplication must draw a 16-byte blind, and results must
// still be the known answers. blinding-order.test.ts shows the same probe with the order reversed.
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { deepEqual, equal } from '../lib/assert.js';
import { testHost } from '../lib/host.js';
import { randomRequestsDuring } from './random-probe.js';

/** noble's blind: 128 bits (abstract/curve.js BLIND_BYTES). */
const BLIND_BYTES = 16;

describe('noble scalar blinding', () => {
  it('draws a blind for Ed25519 public-key derivation and signing (RFC 8032 §7.1 test 1)', () => {
    const secret = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    let publicKey: Uint8Array = new Uint8Array(0), signature: Uint8Array = new Uint8Array(0);
    const forKey = randomRequestsDuring(() => (publicKey = nobleProvider.ed25519.publicKey(secret)));
    const forSignature = randomRequestsDuring(() => (signature = nobleProvider.ed25519.sign(new Uint8Array(0), secret)));
    deepEqual(forKey, [BLIND_BYTES], 'random requests while deriving the public key');
    // Signing multiplies the base point by two secrets: the key scalar (for A) and the nonce r.
    deepEqual(forSignature, [BLIND_BYTES, BLIND_BYTES], 'random requests while signing');
    equal(toHex(publicKey), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    equal(toHex(signature).slice(0, 16), 'e5564300c360ac72');
    testHost().log(`[${testHost().engine}] blinding on: ${forKey.length + forSignature.length} blinds of ${BLIND_BYTES} bytes drawn`);
  });

  it('draws a blind for an X25519 public key, and none for the public-input ladder (RFC 7748 §6.1)', () => {
    const alice = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPublic = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    let alicePublic: Uint8Array = new Uint8Array(0), shared: Uint8Array = new Uint8Array(0);
    deepEqual(randomRequestsDuring(() => (alicePublic = nobleProvider.x25519.publicKey(alice))), [BLIND_BYTES]);
    deepEqual(randomRequestsDuring(() => (shared = nobleProvider.x25519.shared(alice, bobPublic))), []);
    equal(toHex(alicePublic), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    equal(toHex(shared), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
  });
});
