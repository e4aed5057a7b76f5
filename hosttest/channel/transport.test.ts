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

  it('interoperates across both rekey triggers with an end written from the document: counts restart at every rekey', () => {
    // docs/protocol.md §5 "Rekey", implemented from the text over bare CipherStates: after each
    // message, add it and its plaintext bytes to the counts since the last rekey; at 4096 messages
    // or 1 MiB, Rekey() and restart both counts.
    class DocumentedEnd {
      private messages = 0;
      private bytes = 0;
      readonly rekeyedAt: number[] = [];
      constructor(readonly cipher: CipherState) {}
      account(length: number): void {
        this.messages++;
        this.bytes += length;
        if (this.messages === 4096 || this.bytes >= 1_048_576) {
          this.cipher.rekey();
          this.rekeyedAt.push(this.cipher.nonce);
          this.messages = 0;
          this.bytes = 0;
        }
      }
    }
    const { a: device } = link();
    const programmerIn = new DocumentedEnd(new CipherState(suite, k1));
    const programmerOut = new DocumentedEnd(new CipherState(suite, k2));
    const empty = new Uint8Array(0);
    // 519 messages of the largest plaintext pass 1 MiB (the byte trigger), then 4096 small ones
    // (the message trigger, counted from the byte-triggered rekey), then a few more.
    const sizes = [...Array<number>(519).fill(device.maxPlaintext), ...Array<number>(4096 + 5).fill(3)];
    sizes.forEach((size, i) => {
      const plaintext = new Uint8Array(size).fill(i & 0xff);
      const frame = device.seal(plaintext);
      assert.deepEqual(programmerIn.cipher.decryptWithAd(empty, frame.subarray(8)), plaintext, `device → programmer, message ${i}`);
      programmerIn.account(size);
      const sent = new Uint8Array(8 + size + 16);
      sent.set(frame.subarray(0, 8));
      sent.set(programmerOut.cipher.encryptWithAd(empty, plaintext), 8);
      programmerOut.account(size);
      const opened = device.open(sent);
      assert.ok(opened.ok, `programmer → device, message ${i}`);
    });
    assert.deepEqual(programmerIn.rekeyedAt, [519, 519 + 4096], 'the byte trigger, then 4096 messages after it');
    assert.deepEqual(programmerOut.rekeyedAt, [519, 519 + 4096]);
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
