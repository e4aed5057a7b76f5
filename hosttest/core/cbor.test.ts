import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CborError, CborTag, decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import type { CborErrorCode, CborValue } from '../../modules/core/cbor.js';
import { fromHex, toHex } from '../../modules/core/bytes.js';
import { cborValue, normalize } from '../../host/fixtures/cbor-arbitrary.js';

function code(fn: () => unknown): CborErrorCode | 'none' | 'foreign' {
  try {
    fn();
    return 'none';
  } catch (e) {
    return e instanceof CborError ? e.code : 'foreign';
  }
}
const decodeHex = (hex: string) => decodeCbor(fromHex(hex));

describe('CBOR (RFC 8949 deterministic subset)', () => {
  // RFC 8949 Appendix A examples inside the subset.
  const examples: [CborValue, string][] = [
    [0, '00'], [1, '01'], [10, '0a'], [23, '17'], [24, '1818'], [25, '1819'], [100, '1864'], [1000, '1903e8'],
    [1000000, '1a000f4240'], [1000000000000, '1b000000e8d4a51000'], [18446744073709551615n, '1bffffffffffffffff'],
    [-18446744073709551616n, '3bffffffffffffffff'], [-1, '20'], [-10, '29'], [-100, '3863'], [-1000, '3903e7'],
    [false, 'f4'], [true, 'f5'], [null, 'f6'], [new Uint8Array(0), '40'], [fromHex('01020304'), '4401020304'],
    ['', '60'], ['a', '6161'], ['IETF', '6449455446'], ['"\\', '62225c'], ['\u00fc', '62c3bc'], ['\u6c34', '63e6b0b4'],
    ['\u{10151}', '64f0908591'], [[], '80'], [[1, 2, 3], '83010203'], [[1, [2, 3], [4, 5]], '8301820203820405'],
    [new Map(), 'a0'], [new Map([[1, 2], [3, 4]]), 'a201020304'],
    [new Map<string, CborValue>([['a', 1], ['b', [2, 3]]]), 'a26161016162820203'],
    [new CborTag(0, '2013-03-21T20:04:00Z'), 'c074323031332d30332d32315432303a30343a30305a'],
  ];
  it('encodes and decodes the RFC 8949 Appendix A examples', () => {
    for (const [value, hex] of examples) {
      assert.equal(toHex(encodeCbor(value)), hex);
      assert.deepStrictEqual(decodeHex(hex), value);
    }
  });

  it('sorts map keys by their encoded bytes (§4.2.1), integers before text', () => {
    const map = new Map<string | number, CborValue>([['b', 1], [-1, 2], [10, 3], ['a', 4], [100, 5]]);
    assert.equal(toHex(encodeCbor(map)), 'a50a031864052002616104616201');
  });

  it('round-trips every value and re-encodes decoded bytes identically', () => {
    fc.assert(fc.property(cborValue, (value) => {
      const bytes = encodeCbor(value);
      const decoded = decodeCbor(bytes, { maxDepth: 64, maxItems: 1024 });
      assert.deepStrictEqual(decoded, normalize(value));
      assert.deepStrictEqual(encodeCbor(decoded), bytes);
    }), { numRuns: 2000 });
  });

  it('rejects every proper prefix of a valid encoding as truncated', () => {
    fc.assert(fc.property(cborValue, fc.nat(), (value, cut) => {
      const bytes = encodeCbor(value);
      assert.equal(code(() => decodeCbor(bytes.subarray(0, cut % bytes.length), { maxDepth: 64 })), 'truncated');
    }), { numRuns: 1000 });
  });

  it('rejects trailing bytes', () => {
    fc.assert(fc.property(cborValue, fc.uint8Array({ minLength: 1, maxLength: 4 }), (value, extra) => {
      const bytes = encodeCbor(value);
      const longer = new Uint8Array(bytes.length + extra.length);
      longer.set(bytes);
      longer.set(extra, bytes.length);
      assert.equal(code(() => decodeCbor(longer, { maxDepth: 64 })), 'trailing-bytes');
    }), { numRuns: 500 });
  });

  it('rejects every non-minimal head', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 }), fc.nat(), fc.integer({ min: 0, max: 3 }), (major, n, grow) => {
      // A head for `n` written `grow` sizes wider than necessary, followed by enough content bytes.
      const value = major === 6 ? n % 1000 : n % 24;
      const minimal = value < 24 ? -1 : value <= 0xff ? 0 : value <= 0xffff ? 1 : 2;
      const size = Math.min(3, minimal + 1 + grow);
      const width = 1 << size;
      const head = [(major << 5) | (24 + size)];
      for (let i = width - 1; i >= 0; i--) head.push(i >= 4 ? 0 : (value >>> (8 * i)) & 0xff);
      const body = major === 6 ? [0] : new Array(value * 2).fill(0);
      assert.equal(code(() => decodeCbor(Uint8Array.from([...head, ...body]))), 'non-minimal');
    }), { numRuns: 500 });
  });

  it('names every other defect with its own code', () => {
    const cases: [string, CborErrorCode][] = [
      ['5f4101ff', 'indefinite-length'], ['9f01ff', 'indefinite-length'], ['bf0101ff', 'indefinite-length'], ['7f6161ff', 'indefinite-length'],
      ['a201010102', 'duplicate-key'], ['a2020001ff', 'unsorted-keys'], ['a261610161', 'truncated'], ['a2616201616102', 'unsorted-keys'],
      ['a1400001', 'invalid-key'], ['a1f500', 'invalid-key'], ['a11bffffffffffffffff00', 'invalid-key'],
      ['f93c00', 'unsupported'], ['fa47c35000', 'unsupported'], ['f7', 'unsupported'], ['f820', 'unsupported'], ['1c', 'unsupported'],
      ['db002000000000000000', 'unsupported'],
      ['61ff', 'invalid-utf8'], ['62c080', 'invalid-utf8'], ['63eda080', 'invalid-utf8'], ['61c3', 'invalid-utf8'], ['64f4908080', 'invalid-utf8'],
      ['0000', 'trailing-bytes'], ['', 'truncated'], ['5a00010000', 'truncated'], ['9a00010000', 'truncated'],
    ];
    for (const [hex, expected] of cases) assert.equal(code(() => decodeHex(hex)), expected, hex);
  });

  it('enforces depth, item count and size limits before allocating', () => {
    const nest = (n: number) => fromHex('81'.repeat(n) + '00'); // n nested arrays
    assert.equal(code(() => decodeCbor(nest(16))), 'none');
    assert.equal(code(() => decodeCbor(nest(17))), 'too-deep');
    assert.equal(code(() => decodeCbor(fromHex('9903e9' + '00'.repeat(1001)), { maxItems: 1000 })), 'too-large');
    assert.equal(code(() => decodeCbor(new Uint8Array(11), { maxBytes: 10 })), 'too-large');
    // A claimed length of 4 GiB in a 9-byte input fails on the length, not on allocation.
    assert.equal(code(() => decodeHex('5affffffff00')), 'truncated');
  });

  it('refuses to encode values outside the subset', () => {
    for (const bad of [1.5, NaN, Infinity, 2n ** 64n, -(2n ** 64n) - 1n, 'a\ud800', undefined, {}, new CborTag(-1, 0)]) {
      assert.equal(code(() => encodeCbor(bad as CborValue)), 'invalid-value', String(bad));
    }
    assert.equal(code(() => encodeCbor(new Map([[1.5, 0]]))), 'invalid-key');
    assert.equal(code(() => encodeCbor(new Map<unknown, CborValue>([[true, 0]]) as never)), 'invalid-key');
  });

  it('throws only CborError on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      assert.notEqual(code(() => decodeCbor(bytes)), 'foreign');
    }), { numRuns: 5000 });
  });
});
