// The host shims of "crypt" and "gcm" follow the SDK, quirks included: run directly over every
// AES-GCM Wycheproof case (all key and IV sizes), they agree with the vectors except where the
// SDK's whole-block counter increment departs from GCM's 32-bit one (SP 800-38D §6.2 inc32).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { BlockCipher, Digest, GHASH } from '../../host/shims/crypt.js';
import GCM from '../../host/shims/gcm.js';
import { vectorsPath } from '../lib/host.js';

interface GcmCase { tcId: number; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }

const ab = (hex: string) => fromHex(hex).slice().buffer as ArrayBuffer;

function sdkGcmSeal(t: GcmCase): string {
  const gcm = new GCM(new BlockCipher('AES', ab(t.key)));
  gcm.init(ab(t.iv), ab(t.aad));
  const ct = toHex(new Uint8Array(gcm.encrypt(ab(t.msg))));
  return ct + toHex(new Uint8Array(gcm.close()));
}

/** Whether incrementing J0's low 32 bits would wrap during this message (where inc32 differs). */
function counterWraps(t: GcmCase): boolean {
  if (fromHex(t.iv).length === 12) return false;
  const key = ab(t.key);
  const h = new BlockCipher('AES', key).encrypt(new ArrayBuffer(16));
  const j0 = new Uint8Array(new GHASH(h).process(ab(t.iv)));
  const low = ((j0[12] << 24) | (j0[13] << 16) | (j0[14] << 8) | j0[15]) >>> 0;
  const blocks = Math.ceil(fromHex(t.msg).length / 16);
  return low + blocks > 0xffffffff;
}

describe('crypt / gcm host shims', () => {
  it('match every valid AES-GCM vector (all key and IV sizes) except where the SDK counter carries past 32 bits', () => {
    const file = JSON.parse(readFileSync(vectorsPath('wycheproof/aes_gcm_test.json'), 'utf8')) as { testGroups: { tests: GcmCase[] }[] };
    const cases = file.testGroups.flatMap((g) => g.tests).filter((t) => t.result === 'valid');
    const mismatched = cases.filter((t) => sdkGcmSeal(t) !== t.ct + t.tag).map((t) => t.tcId);
    const wrapping = cases.filter(counterWraps).map((t) => t.tcId);
    assert.ok(cases.length > 200);
    assert.ok(wrapping.length > 0, 'the vectors include counter-wrap cases');
    assert.deepEqual(mismatched, wrapping);
  });

  it('digests as the SDK does: strings as UTF-8, reset, process, sizes, unknown types refused', () => {
    const d = new Digest('SHA256');
    d.write('ab');
    d.write(new Uint8Array([0x63]));
    assert.equal(toHex(new Uint8Array(d.close())), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.deepEqual(new Uint8Array(d.process('abc')), new Uint8Array(new Digest('SHA256').process('a', 'bc')));
    assert.equal(d.blockSize, 64);
    assert.equal(d.outputSize, 32);
    assert.throws(() => new Digest('SHA3' as 'SHA256'), /unsupported digest/);
  });

  it('refuses what modCrypt.c refuses', () => {
    assert.throws(() => new BlockCipher('AES', new ArrayBuffer(20)), /bad key size/);
    assert.throws(() => new BlockCipher('AES', new Uint8Array(16) as unknown as ArrayBuffer), /not an ArrayBuffer/);
    assert.throws(() => new BlockCipher('AES', new ArrayBuffer(16)).encrypt(new ArrayBuffer(8)), /bad size/);
  });
});
