// The device's provider and the noble provider must agree byte for byte on every Wycheproof
// case, and both must meet the policy. The device's provider runs twice: with Moddable's crypt
// (ESP32, lin; over the host shims of crypt/gcm/hmac) and with the nRF52's Oberon half
// (platforms/nrf52/device-symmetric.ts over the mc/ffi shim), since the manifest gives each board its own.
import assert from 'node:assert/strict';
import { nativeCurves } from '../../modules/crypto/device-curves.js';
import { nativeSymmetric as cryptSymmetric } from '../../modules/crypto/device-symmetric.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { nativeSymmetric as oberonSymmetric } from '../../platforms/nrf52/device-symmetric.js';
import { testHost } from '../lib/host.js';
import { runWycheproof, WYCHEPROOF_SUITES } from './wycheproof.js';

// The two compositions modules/app/device-platform.ts makes, per the manifest's board mapping.
const cryptProvider: CryptoProvider = Object.freeze({ ...nativeCurves, ...cryptSymmetric, name: 'native' });
const nrf52Provider: CryptoProvider = Object.freeze({ ...nativeCurves, ...oberonSymmetric, name: 'native-nrf52' });

for (const nativeProvider of [cryptProvider, nrf52Provider]) describe(`${nativeProvider.name} provider (over the host shims) vs noble`, () => {
  for (const suite of WYCHEPROOF_SUITES) {
    it(`gives identical results on every ${suite} case`, () => {
      const native = runWycheproof(suite, nativeProvider);
      const noble = runWycheproof(suite, nobleProvider);
      const differing = native.filter((r, i) => r.output !== noble[i].output).map((r) => r.tcId);
      assert.deepEqual(differing, [], `${suite}: native and noble differ on tcId ${differing.join(', ')}`);
      const wrong = native.filter((r) => r.actual !== r.expected).map((r) => `${r.tcId}: ${r.actual}`);
      assert.deepEqual(wrong, [], `${suite}: native provider off policy`);
      testHost().log(`${nativeProvider.name} ${suite}: ${native.length} cases identical`);
    });
  }

  it('hashes a stream in pieces as in one go, both ways', () => {
    const data = new Uint8Array(1000).map((_, i) => (i * 31) & 0xff);
    for (const provider of [nativeProvider, nobleProvider]) {
      const stream = provider.sha256Stream();
      stream.update(data.subarray(0, 1));
      stream.update(data.subarray(1, 700));
      stream.update(data.subarray(700));
      assert.deepEqual(stream.digest(), nobleProvider.sha256(data), provider.name);
    }
  });

  it('refuses a sealed AES-GCM message shorter than its tag, and a flipped tag bit', () => {
    const key = new Uint8Array(32).fill(7), nonce = new Uint8Array(12).fill(1), ad = new Uint8Array(3);
    const sealed = nativeProvider.aesGcm.seal(key, nonce, ad, new Uint8Array(40).fill(9));
    assert.deepEqual(sealed, nobleProvider.aesGcm.seal(key, nonce, ad, new Uint8Array(40).fill(9)));
    assert.equal(nativeProvider.aesGcm.open(key, nonce, ad, sealed.subarray(0, 15)), undefined);
    sealed[sealed.length - 1] ^= 1;
    assert.equal(nativeProvider.aesGcm.open(key, nonce, ad, sealed), undefined);
  });
});

describe('nRF52 symmetric half (Oberon over the mc/ffi shim)', () => {
  it('refuses to update or finish a SHA-256 stream that has already given its digest', () => {
    const stream = oberonSymmetric.sha256Stream();
    stream.update(new Uint8Array([1, 2, 3]));
    assert.deepEqual(stream.digest(), nobleProvider.sha256(new Uint8Array([1, 2, 3])));
    assert.throws(() => stream.update(new Uint8Array(1)), /already finished/);
    assert.throws(() => stream.digest(), /already finished/);
  });

  it('hashes two interleaved streams independently (each keeps its own state buffer)', () => {
    const a = oberonSymmetric.sha256Stream(), b = oberonSymmetric.sha256Stream();
    a.update(new Uint8Array([1]));
    b.update(new Uint8Array([2]));
    a.update(new Uint8Array([3]));
    assert.deepEqual(a.digest(), nobleProvider.sha256(new Uint8Array([1, 3])));
    assert.deepEqual(b.digest(), nobleProvider.sha256(new Uint8Array([2])));
  });
});
