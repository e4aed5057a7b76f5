// The device's provider (native crypt, here over the node:crypto shims) and the noble provider
// must agree byte for byte on every Wycheproof case, and both must meet the policy.
import assert from 'node:assert/strict';
import { nativeProvider } from '../../modules/crypto/device-native-provider.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { testHost } from '../lib/host.js';
import { runWycheproof, WYCHEPROOF_SUITES } from './wycheproof.js';

describe('native crypt provider (over the host shims) vs noble', () => {
  for (const suite of WYCHEPROOF_SUITES) {
    it(`gives identical results on every ${suite} case`, () => {
      const native = runWycheproof(suite, nativeProvider);
      const noble = runWycheproof(suite, nobleProvider);
      const differing = native.filter((r, i) => r.output !== noble[i].output).map((r) => r.tcId);
      assert.deepEqual(differing, [], `${suite}: native and noble differ on tcId ${differing.join(', ')}`);
      const wrong = native.filter((r) => r.actual !== r.expected).map((r) => `${r.tcId}: ${r.actual}`);
      assert.deepEqual(wrong, [], `${suite}: native provider off policy`);
      testHost().log(`${suite}: ${native.length} cases identical`);
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
