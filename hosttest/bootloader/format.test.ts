// The package format as docs/update-format.md describes it: verified here with nothing but
// @noble and the byte recipe from the document (no code of ours), and the parsers fuzzed.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { UpdateError } from '../../modules/bootloader/errors.js';
import { decodeManifest, encodeManifest } from '../../modules/bootloader/manifest.js';
import { openManifest } from '../../modules/bootloader/signed-manifest.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import { CLASS_ID, crypto, image, makePackage, ROOT, updateKeys, VENDOR_ID } from '../../host/fixtures/update-fixture.js';

/** Reads one CBOR byte string head at `pos` (the document's table), returning [start, end]. */
function bstrAt(b: Uint8Array, pos: number): [number, number] {
  const info = b[pos] & 31;
  assert.equal(b[pos] >> 5, 2, `byte string at ${pos}`);
  if (info < 24) return [pos + 1, pos + 1 + info];
  if (info === 24) return [pos + 2, pos + 2 + b[pos + 1]];
  return [pos + 3, pos + 3 + ((b[pos + 1] << 8) | b[pos + 2])];
}

describe('update package format (docs/update-format.md)', () => {
  it('verifies by the document alone: Sig_structure bytes built by hand, Ed25519 from @noble', () => {
    const img = image(5, 3000);
    const pkg = makePackage({ version: [1, 2, 3], counter: 7, image: img });
    assert.deepEqual([pkg[0], pkg[1]], [0xd2, 0x84]);
    const [ps, pe] = bstrAt(pkg, 2);
    assert.equal(pkg[pe], 0xa0, 'empty unprotected header');
    const [ys, ye] = bstrAt(pkg, pe + 1);
    const [ss, se] = bstrAt(pkg, ye);
    const protectedBytes = pkg.subarray(ps, pe), payload = pkg.subarray(ys, ye), signature = pkg.subarray(ss, se);
    const aad = new TextEncoder().encode('implant/update-manifest/v1');
    // ["Signature1", protected, external_aad, payload]: array(4), text(10), then three bstr.
    const head = (n: number) => (n < 24 ? [0x40 | n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff]);
    const sigStructure = Uint8Array.from([
      0x84, 0x6a, ...new TextEncoder().encode('Signature1'),
      ...head(protectedBytes.length), ...protectedBytes,
      ...head(aad.length), ...aad,
      ...head(payload.length), ...payload,
    ]);
    assert.ok(ed25519.verify(signature, sigStructure, ROOT.publicKey));
    assert.deepEqual([...protectedBytes.subarray(0, 3)], [0xa2, 0x01, 0x27], 'protected header {1: -8, 4: kid}');
    assert.deepEqual(protectedBytes.subarray(5), ROOT.kid);
    const m = decodeManifest(payload);
    assert.deepEqual(m.imageDigest, sha256(pkg.subarray(se)));
    assert.equal(m.imageSize, pkg.length - se);
  });

  it('manifests round-trip and have exactly one encoding', () => {
    fc.assert(fc.property(
      fc.record({
        version: fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })),
        securityCounter: fc.integer({ min: 0, max: 0xffffffff }),
        imageSize: fc.integer({ min: 0, max: 0xffffffff }),
        imageDigest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
        expires: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
      }),
      (r) => {
        const { expires, ...fields } = r;
        const manifest = { vendorId: VENDOR_ID, classId: CLASS_ID, ...fields, ...(expires === undefined ? {} : { expires }) };
        const bytes = encodeManifest(manifest);
        assert.deepEqual(encodeManifest(decodeManifest(bytes)), bytes);
      },
    ));
  });

  it('parsers answer any bytes with an UpdateError, never another exception', () => {
    const keys = updateKeys();
    const valid = makePackage({ version: [1, 1, 0], counter: 1, image: image(6, 100) });
    const mutate = fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: valid.length }));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 700 }), mutate.map(([i, x, cut]) => {
      const b = valid.slice(0, Math.max(cut, i + 1));
      b[i] ^= x;
      return b;
    })), (bytes) => {
      for (const f of [() => splitPackage(bytes), () => openManifest(crypto, splitPackage(bytes).manifestBytes, keys), () => decodeManifest(bytes)]) {
        try {
          f();
        } catch (error) {
          assert.ok(error instanceof UpdateError, String(error));
        }
      }
    }), { numRuns: 1000 });
  });
});
