// COSE_Sign1 / EdDSA (RFC 9052 §4, RFC 9053 §2.2): structure against the COSE working group's
// published example, sign/verify round trips, and refusal of everything outside the profile.
import { CborTag, decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import { bytesEqual, equal, ok, throws } from '../lib/assert.js';
import { fromHex, toHex, utf8 } from '../../modules/core/bytes.js';
import { ALG_EDDSA, decodeSign1, sigStructure, signSign1, verifySign1 } from '../../modules/core/cose.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';

const ed = nobleProvider.ed25519;
// RFC 8032 §7.1 TEST 1 key pair.
const SK = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const PK = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

describe('COSE_Sign1 (EdDSA)', () => {
  it('builds the Sig_structure of the cose-wg example eddsa-sig-02 byte for byte', () => {
    // cose-wg/Examples eddsa-examples/eddsa-sig-02.json: protected {1: -8}, no external AAD.
    const tbs = sigStructure(fromHex('a10127'), utf8('This is the content.'));
    equal(toHex(tbs), '846a5369676e61747572653143a101274054546869732069732074686520636f6e74656e742e');
  });

  it('refuses the cose-wg example message, whose kid sits in the unprotected bucket', () => {
    const msg = fromHex('D28443A10127A10445336434343854546869732069732074686520636F6E74656E742E5872988240A3A2F189BD486DE14AA77F54686C576A09F2E7ED9BAE910DF9139C2AC3BE7C27B7E10A20FA17C9D57D3510A2CF1F634BC0345AB9BE00849842171D1E9E98B2674C0E38BFCF6C557A1692B01B71015A47AC9F7748840CAD1DA80CBB5B349309FEBB912672B377C8B2072AF1598B3700');
    // Valid COSE, but outside this profile twice over: an unprotected header, and Ed448.
    throws(() => decodeSign1(msg), { code: 'unsupported' });
  });

  it('has one byte form: the unprotected header is the empty map and kid is only in the protected one', () => {
    const kid = fromHex('0102030405060708');
    const msg = signSign1(ed, SK, utf8('claims'), { kid });
    equal(toHex(msg.slice(0, 17)), `d2844da2012704480102030405060708a0`, 'protected {1: -8, 4: kid}, unprotected {}');
    const [protectedBytes, , payload, signature] = (decodeCbor(msg) as CborTag).value as [Uint8Array, unknown, Uint8Array, Uint8Array];
    const withUnprotected = (header: Map<number, unknown>) => encodeCbor(new CborTag(18, [protectedBytes, header, payload, signature] as never));
    // The signature does not cover the unprotected bucket: each of these would be another byte
    // form of the same signed object, or name a key the signature does not cover.
    throws(() => decodeSign1(withUnprotected(new Map([[5, new Uint8Array(12)]]))), { code: 'unsupported' });
    throws(() => decodeSign1(withUnprotected(new Map([[4, fromHex('0807060504030201')]]))), { code: 'unsupported' });
    const unsignedKid = signSign1(ed, SK, utf8('claims'));
    const [bare, , p2, s2] = (decodeCbor(unsignedKid) as CborTag).value as [Uint8Array, unknown, Uint8Array, Uint8Array];
    throws(() => decodeSign1(encodeCbor(new CborTag(18, [bare, new Map([[4, kid]]), p2, s2] as never))), { code: 'unsupported' });
    equal(decodeSign1(unsignedKid).kid, undefined);
    throws(() => decodeSign1(encodeCbor(new CborTag(18, [encodeCbor(new Map([[1, -8], [3, 0]])), new Map(), p2, s2] as never))), { code: 'unsupported' });
  });

  it('round-trips and binds kid, payload and external AAD', () => {
    const kid = fromHex('0102030405060708');
    const msg = signSign1(ed, SK, utf8('claims'), { kid, externalAad: utf8('ctx') });
    equal(msg[0], 0xd2, 'tag 18');
    const sign1 = decodeSign1(msg);
    bytesEqual(sign1.kid!, kid);
    equal(sign1.protectedHeader.get(1), ALG_EDDSA);
    ok(verifySign1(ed, sign1, PK, utf8('ctx')));
    ok(!verifySign1(ed, sign1, PK), 'without the AAD');
    ok(!verifySign1(ed, sign1, ed.publicKey(fromHex('11'.repeat(32))), utf8('ctx')), 'other key');
  });

  it('signs deterministically (Ed25519) and refuses any flipped bit', () => {
    const msg = signSign1(ed, SK, utf8('x'));
    bytesEqual(signSign1(ed, SK, utf8('x')), msg);
    for (let i = 0; i < msg.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const bad = msg.slice();
        bad[i] ^= bit;
        let accepted = false;
        try {
          accepted = verifySign1(ed, decodeSign1(bad), PK);
        } catch {
          accepted = false;
        }
        ok(!accepted, `flip at byte ${i}`);
      }
    }
  });

  it('refuses other tags, other algorithms, crit, detached payloads and duplicated labels', () => {
    const sig = new Uint8Array(64);
    const eddsa = encodeCbor(new Map([[1, -8]]));
    const wrap = (v: unknown[]) => encodeCbor(new CborTag(18, v as never));
    throws(() => decodeSign1(encodeCbor(new CborTag(98, [eddsa, new Map(), new Uint8Array(1), sig]))), { code: 'wrong-tag' });
    throws(() => decodeSign1(wrap([encodeCbor(new Map([[1, -7]])), new Map(), new Uint8Array(1), sig])), { code: 'unsupported' });
    throws(() => decodeSign1(wrap([encodeCbor(new Map<number, unknown>([[1, -8], [2, [4]]]) as never), new Map(), new Uint8Array(1), sig])), { code: 'unsupported' });
    throws(() => decodeSign1(wrap([eddsa, new Map(), null, sig])), { code: 'unsupported' });
    throws(() => decodeSign1(wrap([eddsa, new Map([[1, -8]]), new Uint8Array(1), sig])), { code: 'unsupported' });
    throws(() => decodeSign1(wrap([new Uint8Array(0), new Map(), new Uint8Array(1), sig])), { code: 'unsupported' });
    throws(() => decodeSign1(wrap([eddsa, new Map(), new Uint8Array(1)])), { code: 'malformed' });
    throws(() => decodeSign1(fromHex('ff')), { code: 'malformed' });
  });
});
