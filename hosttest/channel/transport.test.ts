import assert from 'node:assert/strict';
import { CipherState } from '../../modules/channel/noise/cipher-state.js';
import { noiseSuite } from '../../modules/channel/noise/suite.js';
import { MAX_MESSAGES, REKEY_BYTES, REKEY_MESSAGES, SecureTransport } from '../../modules/channel/transport.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';

const suite = noiseSuite(nobleProvider, 'AESGCM');
const k1 = new Uint8Array(32).fill(1), k2 = new Uint8Array(32).fill(2);

function link() {
  const a = new SecureTransport({ send: new CipherState(suite, k1), receive: new CipherState(suite, k2), handshakeHash: new Uint8Array(32) }, 2048);
  const b = new SecureTransport({ send: new CipherState(suite, k2), receive: new CipherState(suite, k1), handshakeHash: new Uint8Array(32) }, 2048);
  return { a, b };
}

describe('secure transport', () => {
  it('writes the 64-bit nonce big-endian in front of the ciphertext', () => {
    const { a } = link();
    const f0 = a.seal(Uint8Array.of(1, 2, 3));
    assert.deepEqual([...f0.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(f0.length, 8 + 3 + 16);
    const send = (a as unknown as { out: { cipher: CipherState } }).out.cipher;
    send.setNonce(2 ** 40 + 5);
    assert.deepEqual([...a.seal(new Uint8Array(0)).subarray(0, 8)], [0, 0, 1, 0, 0, 0, 0, 5]);
  });

  it('rekeys both directions in step after REKEY_MESSAGES messages', () => {
    const { a, b } = link();
    const reference = new CipherState(suite, k1);
    for (let i = 0; i < REKEY_MESSAGES + 3; i++) {
      const plaintext = Uint8Array.of(i & 0xff);
      const frame = a.seal(plaintext);
      if (i === REKEY_MESSAGES) {
        reference.setNonce(i);
        const unrekeyed = reference.encryptWithAd(new Uint8Array(0), plaintext);
        assert.notDeepEqual(frame.subarray(8), unrekeyed, 'the key changed at the threshold');
      }
      const opened = b.open(frame);
      assert.ok(opened.ok, `message ${i}`);
    }
  });

  it('rekeys after REKEY_BYTES of plaintext', () => {
    const { a, b } = link();
    const chunk = new Uint8Array(2000);
    const count = Math.ceil(REKEY_BYTES / chunk.length) + 2;
    const reference = new CipherState(suite, k1);
    for (let i = 0; i < count; i++) {
      const frame = a.seal(chunk);
      reference.setNonce(i);
      const same = reference.encryptWithAd(new Uint8Array(0), chunk).every((x, j) => x === frame[8 + j]);
      assert.equal(same, i * chunk.length < REKEY_BYTES, `message ${i}`);
      assert.ok(b.open(frame).ok);
    }
  });

  it('refuses malformed frames and ends at MAX_MESSAGES', () => {
    const { a, b } = link();
    assert.deepEqual(b.open(new Uint8Array(23)), { ok: false, error: 'malformed' });
    assert.deepEqual(b.open(new Uint8Array(2049)), { ok: false, error: 'malformed' });
    const huge = new Uint8Array(40).fill(0xff);
    assert.deepEqual(b.open(huge), { ok: false, error: 'gap' }, 'a nonce at or above 2^53 is never next');
    (a as unknown as { out: { cipher: CipherState } }).out.cipher.setNonce(MAX_MESSAGES);
    assert.throws(() => a.seal(new Uint8Array(1)), /nonce-exhausted/);
    (b as unknown as { in: { cipher: CipherState } }).in.cipher.setNonce(MAX_MESSAGES);
    assert.deepEqual(b.open(new Uint8Array(40)), { ok: false, error: 'exhausted' });
  });
});
