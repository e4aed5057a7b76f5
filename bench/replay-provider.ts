// A CryptoProvider for the device_js rows (docs/memory.md, "Estimates per board"): while
// recording it runs noble and keeps each primitive's result in call order; while replaying it
// returns those results without computing, so the XS meter counts only the JavaScript that the
// device still runs when every primitive is native, and `nativeCalls` counts the calls that
// would cross into C. A replayed call under another name than recorded is a bench bug: it throws.
import { nobleProvider } from '../modules/crypto/noble-provider.js';
import type { Aead, CryptoProvider, HashStream } from '../modules/crypto/provider.js';

interface Step { name: string; result: unknown }

export class ReplayProvider {
  readonly tapes: Step[][] = [];
  nativeCalls = 0;
  private mode: 'record' | 'replay' | 'pass' = 'pass';
  private tape: Step[] = [];
  private at = 0;

  /** Starts recording a new tape; returns its index. */
  record(): number {
    this.mode = 'record';
    this.tape = [];
    this.tapes.push(this.tape);
    return this.tapes.length - 1;
  }

  /** Replays tape `index` from its start. */
  replay(index: number): void {
    this.mode = 'replay';
    this.tape = this.tapes[index];
    this.at = 0;
  }

  private call<R>(name: string, compute: () => R): R {
    if (this.mode === 'pass') return compute();
    if (this.mode === 'record') {
      const result = compute();
      this.tape.push({ name, result });
      return result;
    }
    const step = this.tape[this.at++];
    if (!step || step.name !== name) throw new Error(`bench replay: expected ${step?.name ?? 'the end'}, got ${name}`);
    this.nativeCalls++;
    return step.result as R;
  }

  private aead(name: string, base: Aead): Aead {
    return {
      seal: (k, n, ad, p) => this.call(`${name}.seal`, () => base.seal(k, n, ad, p)),
      open: (k, n, ad, c) => this.call(`${name}.open`, () => base.open(k, n, ad, c)),
    };
  }

  private stream(): HashStream {
    const inner = this.call('sha256Stream', () => nobleProvider.sha256Stream());
    return {
      update: (data) => this.call('sha256Stream.update', () => inner?.update(data)),
      digest: () => this.call('sha256Stream.digest', () => inner!.digest()),
    };
  }

  readonly provider: CryptoProvider = {
    name: 'replay',
    sha256: (d) => this.call('sha256', () => nobleProvider.sha256(d)),
    sha256Stream: () => this.stream(),
    hmacSha256: (k, d) => this.call('hmacSha256', () => nobleProvider.hmacSha256(k, d)),
    hkdfSha256: (i, s, f, l) => this.call('hkdfSha256', () => nobleProvider.hkdfSha256(i, s, f, l)),
    aesGcm: this.aead('aesGcm', nobleProvider.aesGcm),
    chachaPoly: this.aead('chachaPoly', nobleProvider.chachaPoly),
    x25519: {
      publicKey: (sk) => this.call('x25519.publicKey', () => nobleProvider.x25519.publicKey(sk)),
      shared: (sk, pk) => this.call('x25519.shared', () => nobleProvider.x25519.shared(sk, pk)),
    },
    ed25519: {
      publicKey: (sk) => this.call('ed25519.publicKey', () => nobleProvider.ed25519.publicKey(sk)),
      sign: (m, sk) => this.call('ed25519.sign', () => nobleProvider.ed25519.sign(m, sk)),
      verify: (sig, m, pk) => this.call('ed25519.verify', () => nobleProvider.ed25519.verify(sig, m, pk)),
    },
    randomBytes: (n) => this.call('randomBytes', () => nobleProvider.randomBytes(n)),
  };
}
