// Runs the Wycheproof vectors (hosttest/vectors/wycheproof/, or IMPLANT_VECTORS_DIR) through a CryptoProvider and
// records, per case, what the provider did and what our policy expects. Portable: the same
// code runs under mocha on Node and inside XS.
import { equalBytes, fromHex, toHex } from '../../modules/core/bytes.js';
import { AEAD_KEY_BYTES, AEAD_NONCE_BYTES } from '../../modules/crypto/checks.js';
import { CryptoError } from '../../modules/crypto/provider.js';
import type { Aead, CryptoProvider } from '../../modules/crypto/provider.js';
import { readVectorJson } from '../lib/host.js';

interface TestCase {
  tcId: number;
  comment: string;
  flags: string[];
  result: 'valid' | 'invalid' | 'acceptable';
  [field: string]: unknown;
}
interface TestGroup {
  tests: TestCase[];
  [field: string]: unknown;
}
interface VectorFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: TestGroup[];
}

export interface CaseRecord {
  tcId: number;
  result: TestCase['result'];
  flags: string[];
  /** What our policy demands, e.g. an output in hex, 'accept', or 'reject:<CryptoError code>'. */
  expected: string;
  /** What the provider did, in the same vocabulary. */
  actual: string;
  /** The provider's raw outputs, for comparing two providers byte for byte. */
  output: string;
}

export const WYCHEPROOF_SUITES = ['x25519', 'ed25519', 'chacha20_poly1305', 'aes_gcm', 'hkdf_sha256', 'hmac_sha256'] as const;
export type Suite = (typeof WYCHEPROOF_SUITES)[number];

/**
 * Cases per suite in the files the repository carries (hosttest/vectors/README.md). A vectors
 * folder given by IMPLANT_VECTORS_DIR must hold at least as many, so an override can add
 * coverage but never silently run less.
 */
export const MIN_CASES: Readonly<Record<Suite, number>> = Object.freeze({
  x25519: 518, ed25519: 151, chacha20_poly1305: 325, aes_gcm: 316, hkdf_sha256: 86, hmac_sha256: 174,
});

/** Runs `fn` and names its outcome: its output, or the CryptoError code it threw. */
function attempt(fn: () => Uint8Array | boolean | undefined): string {
  try {
    const out = fn();
    if (out === undefined) return 'reject:tag';
    if (typeof out === 'boolean') return out ? 'accept' : 'reject';
    return toHex(out);
  } catch (error) {
    if (error instanceof CryptoError) return `reject:${error.code}`;
    return `unexpected ${String(error)}`;
  }
}

const hex = (t: TestCase, field: string) => fromHex(t[field] as string);

function x25519Case(p: CryptoProvider, t: TestCase): Omit<CaseRecord, 'tcId' | 'result' | 'flags'> {
  const output = attempt(() => p.x25519.shared(hex(t, 'private'), hex(t, 'public')));
  // Wycheproof marks these "acceptable" (RFC 7748 permits either choice); we reject them all.
  // A low-order key whose bit 255 is set is refused as non-canonical first, so either code will do.
  const refuse = t.flags.includes('NonCanonicalPublic') || t.flags.includes('LowOrderPublic') || t.flags.includes('ZeroSharedSecret');
  const actual = output === 'reject:x25519-non-canonical' || output === 'reject:x25519-low-order' ? 'reject:x25519' : output;
  // Twist, special and small (not low-order) keys must give exactly the RFC 7748 result.
  return { expected: refuse || t.result === 'invalid' ? 'reject:x25519' : t.shared as string, actual, output };
}

function ed25519Case(p: CryptoProvider, g: TestGroup, t: TestCase): Omit<CaseRecord, 'tcId' | 'result' | 'flags'> {
  const publicKey = fromHex((g.publicKey as { pk: string }).pk);
  const output = attempt(() => p.ed25519.verify(hex(t, 'sig'), hex(t, 'msg'), publicKey));
  // Strict RFC 8032 verification: "acceptable" does not occur in this file; treat it as must-reject.
  return { expected: t.result === 'valid' ? 'accept' : 'reject', actual: output, output };
}

function aeadCase(aead: Aead, g: TestGroup, t: TestCase): Omit<CaseRecord, 'tcId' | 'result' | 'flags'> {
  const key = hex(t, 'key'), nonce = hex(t, 'iv'), ad = hex(t, 'aad');
  const sealed = (t.ct as string) + (t.tag as string);
  const opened = attempt(() => aead.open(key, nonce, ad, fromHex(sealed)));
  const inContract = key.length === AEAD_KEY_BYTES && nonce.length === AEAD_NONCE_BYTES && g.tagSize === 128;
  if (!inContract) {
    // Key or nonce sizes the protocol never uses: both directions must refuse them.
    const seal = attempt(() => aead.seal(key, nonce, ad, hex(t, 'msg')));
    return { expected: 'reject:bad-length reject:bad-length', actual: `${seal} ${opened}`, output: `${seal} ${opened}` };
  }
  if (t.result !== 'valid') return { expected: 'reject:tag', actual: opened, output: opened };
  const seal = attempt(() => aead.seal(key, nonce, ad, hex(t, 'msg')));
  return { expected: `${sealed} ${t.msg as string}`, actual: `${seal} ${opened}`, output: `${seal} ${opened}` };
}

function hkdfCase(p: CryptoProvider, t: TestCase): Omit<CaseRecord, 'tcId' | 'result' | 'flags'> {
  const output = attempt(() => p.hkdfSha256(hex(t, 'ikm'), hex(t, 'salt'), hex(t, 'info'), t.size as number));
  return { expected: t.result === 'valid' ? t.okm as string : 'reject:bad-length', actual: output, output };
}

function hmacCase(p: CryptoProvider, g: TestGroup, t: TestCase): Omit<CaseRecord, 'tcId' | 'result' | 'flags'> {
  const output = attempt(() => p.hmacSha256(hex(t, 'key'), hex(t, 'msg')));
  // Truncated tags (tagSize < 256) compare the leading bytes, as RFC 2104 §5 describes.
  const tagBytes = (g.tagSize as number) / 8;
  const actual = output.startsWith('reject') || output.startsWith('unexpected') ? output
    : equalBytes(fromHex(output).subarray(0, tagBytes), hex(t, 'tag')) ? 'accept' : 'reject';
  return { expected: t.result === 'valid' ? 'accept' : 'reject', actual, output };
}

export function runWycheproof(suite: Suite, provider: CryptoProvider): CaseRecord[] {
  const file = readVectorJson<VectorFile>(`wycheproof/${suite}_test.json`);
  const records: CaseRecord[] = [];
  for (const g of file.testGroups) {
    for (const t of g.tests) {
      const outcome = suite === 'x25519' ? x25519Case(provider, t)
        : suite === 'ed25519' ? ed25519Case(provider, g, t)
        : suite === 'chacha20_poly1305' ? aeadCase(provider.chachaPoly, g, t)
        : suite === 'aes_gcm' ? aeadCase(provider.aesGcm, g, t)
        : suite === 'hkdf_sha256' ? hkdfCase(provider, t)
        : hmacCase(provider, g, t);
      records.push({ tcId: t.tcId, result: t.result, flags: t.flags, ...outcome });
    }
  }
  if (records.length !== file.numberOfTests) throw new Error(`${suite}: ran ${records.length} of ${file.numberOfTests} cases`);
  if (records.length < MIN_CASES[suite]) throw new Error(`${suite}: the vector file has ${records.length} cases, fewer than the ${MIN_CASES[suite]} the project runs`);
  return records;
}

/** One line of counts: how many cases, by Wycheproof verdict, and how we answered them. */
export function summarize(suite: Suite, records: CaseRecord[]): string {
  const count = (pred: (r: CaseRecord) => boolean) => records.filter(pred).length;
  const byVerdict = (['valid', 'invalid', 'acceptable'] as const)
    .map((v) => [v, count((r) => r.result === v)] as const).filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`).join(', ');
  const rejected = count((r) => r.expected.startsWith('reject'));
  const sizes = count((r) => r.expected.startsWith('reject:bad-length'));
  const ofWhich = sizes > 0 ? ` (${sizes} for sizes outside the provider's contract)` : '';
  return `${suite}: ${records.length} cases (${byVerdict}): ${records.length - rejected} computed, ${rejected} refused${ofWhich}; ${count((r) => r.actual === r.expected)} as expected`;
}
