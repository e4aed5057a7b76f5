// SymmetricState (Noise rev 34 §5.2): chaining key ck, handshake hash h and a CipherState.
import { concatBytes } from '../../core/bytes.js';
import { CipherState } from './cipher-state.js';
import type { NoiseSuite } from './suite.js';

export class SymmetricState {
  private ck: Uint8Array;
  private h: Uint8Array;
  private readonly cipher: CipherState;

  /** InitializeSymmetric(protocol_name). */
  constructor(private readonly suite: NoiseSuite, protocolName: Uint8Array) {
    if (protocolName.length <= suite.hashLen) {
      this.h = new Uint8Array(suite.hashLen);
      this.h.set(protocolName);
    } else {
      this.h = suite.hash(protocolName);
    }
    this.ck = this.h;
    this.cipher = new CipherState(suite);
  }

  /** HKDF(chaining_key, input_key_material, num_outputs) of §4.3, built on HMAC-HASH. */
  private hkdf(ikm: Uint8Array, outputs: 2 | 3): Uint8Array[] {
    const temp = this.suite.hmac(this.ck, ikm);
    const o1 = this.suite.hmac(temp, Uint8Array.of(1));
    const o2 = this.suite.hmac(temp, concatBytes(o1, Uint8Array.of(2)));
    return outputs === 2 ? [o1, o2] : [o1, o2, this.suite.hmac(temp, concatBytes(o2, Uint8Array.of(3)))];
  }

  mixKey(ikm: Uint8Array): void {
    const [ck, k] = this.hkdf(ikm, 2);
    this.ck = ck;
    this.cipher.initializeKey(k); // HASHLEN is 32, so no truncation is needed
  }

  mixHash(data: Uint8Array): void {
    this.h = this.suite.hash(concatBytes(this.h, data));
  }

  mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, th, k] = this.hkdf(ikm, 3);
    this.ck = ck;
    this.mixHash(th);
    this.cipher.initializeKey(k);
  }

  get handshakeHash(): Uint8Array {
    return this.h;
  }

  hasKey(): boolean {
    return this.cipher.hasKey();
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.cipher.encryptWithAd(this.h, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.cipher.decryptWithAd(this.h, ciphertext);
    this.mixHash(ciphertext);
    return plaintext;
  }

  /** Split(): the initiator-to-responder and responder-to-initiator CipherStates. */
  split(): [CipherState, CipherState] {
    const [k1, k2] = this.hkdf(new Uint8Array(0), 2);
    return [new CipherState(this.suite, k1), new CipherState(this.suite, k2)];
  }
}
