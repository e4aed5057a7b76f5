// RFC 8949 §4.2.1 deterministic map order is the bytewise order of the encoded keys, not the
// length-first order of RFC 7049 §3.9 that some "canonical" encoders use (docs/protocol.md §6.1).
import assert from 'node:assert/strict';
import { CborError, decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import { fromHex, toHex } from '../../modules/core/bytes.js';

describe('channel: deterministic CBOR key order', () => {
  it('is bytewise: {24: 0, -1: 0} encodes 18 18 before 20, and the length-first form is refused', () => {
    assert.equal(toHex(encodeCbor(new Map([[-1, 0], [24, 0]]))), 'a2181800' + '2000');
    assert.deepEqual(decodeCbor(fromHex('a21818002000')), new Map([[24, 0], [-1, 0]]));
    assert.throws(() => decodeCbor(fromHex('a22000181800')), CborError, 'length-first order');
  });

  it('puts a short text key after a longer integer key when its first byte is larger', () => {
    // 256 is 19 01 00 (3 bytes), "a" is 61 61 (2 bytes): bytewise 19 < 61, length-first the reverse.
    assert.equal(toHex(encodeCbor(new Map<string | number, number>([['a', 1], [256, 2]]))), 'a2' + '19010002' + '616101');
    assert.throws(() => decodeCbor(fromHex('a2616101' + '19010002')), CborError);
  });
});
