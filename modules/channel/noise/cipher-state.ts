// CipherState (Noise rev 34 §5.1): a key and a 64-bit nonce counter.
import { NoiseError } from './errors.js';
import type { NoiseSuite } from './suite.js';

/** Largest nonce used. rev 34 reserves 2^64-1; JS numbers stay exact up to 2^53-1, a bound no session reaches. */
export const MAX_NONCE = Number.MAX_SAFE_INTEGER - 1;

export class CipherState {
  private k: Uint8Array | undefined;
  private n = 0;

  constructor(private readonly suite: NoiseSuite, key?: Uint8Array) {
    if (key) this.initializeKey(key);
  }

  initializeKey(key: Uint8Array | undefined): void {
    this.k = key;
    this.n = 0;
  }

  hasKey(): boolean {
    return this.k !== undefined;
  }

  /** The nonce the next encrypt or decrypt will use. */
  get nonce(): number {
    return this.n;
  }

  setNonce(n: number): void {
    this.n = n;
  }

  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (!this.k) return plaintext;
    if (this.n > MAX_NONCE) throw new NoiseError('nonce-exhausted');
    const out = this.suite.encrypt(this.k, this.n, ad, plaintext);
    this.n++;
    return out;
  }

  /** Throws NoiseError('decrypt-failed') and leaves the nonce unchanged when authentication fails (§5.1). */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (!this.k) return ciphertext;
    if (this.n > MAX_NONCE) throw new NoiseError('nonce-exhausted');
    const out = this.suite.decrypt(this.k, this.n, ad, ciphertext);
    if (!out) throw new NoiseError('decrypt-failed');
    this.n++;
    return out;
  }

  /** Rekey() (§5.1, §11.3); the nonce carries on. */
  rekey(): void {
    if (this.k) this.k = this.suite.rekey(this.k);
  }
}
