// Every refused package, each with its own error code, and nothing changed: the running image,
// the boot record, the security counter, and (for refusals at begin) the whole chip.
// @req SEC-10 (docs/traceability.md)
import assert from 'node:assert/strict';
import { UpdateError, type UpdateErrorCode } from '../../modules/bootloader/errors.js';
import { splitPackage, verifyPackage } from '../../modules/bootloader/package.js';
import { UPDATE_ROLE } from '../../modules/bootloader/update-service.js';
import { concatBytes } from '../../modules/core/bytes.js';
import { CLASS_ID, crypto, image, makePackage, manifestOf, ROOT, ROTATION, STRANGER, updateKeys, VENDOR_ID } from '../../host/fixtures/update-fixture.js';
import { BLOCK, newPackage, protectedState, send, updatedDevice, type Harness } from './harness.js';

function refused(code: UpdateErrorCode, fn: () => unknown): void {
  assert.throws(fn, (e: unknown) => e instanceof UpdateError && e.code === code, `expected UpdateError ${code}`);
}

async function refusedAtBegin(code: UpdateErrorCode, manifest: Uint8Array, h?: Harness, role = UPDATE_ROLE): Promise<void> {
  h ??= await updatedDevice();
  const before = h.dev.snapshot();
  const statusBefore = h.running.service.status();
  refused(code, () => h.running.service.begin(role, manifest));
  assert.deepEqual(h.dev.snapshot(), before, 'a refused begin changes no flash byte');
  assert.deepEqual(h.running.service.status(), statusBefore);
  assert.equal(h.running.events.at(-1)?.type, 'rejected');
  assert.equal(h.running.events.at(-1)?.reason, code);
}

function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] ^= 0x01;
  return out;
}

describe('update: refused packages', () => {
  it('bad signature: a flipped signature bit and a flipped payload bit', async () => {
    const m = manifestOf(newPackage());
    await refusedAtBegin('bad-signature', flipped(m, m.length - 1));
    await refusedAtBegin('bad-signature', flipped(m, m.length - 80)); // inside the payload
  });

  it('unknown key: signed by a key the device does not trust', async () => {
    await refusedAtBegin('unknown-key', manifestOf(newPackage({ key: STRANGER })));
  });

  it('revoked key: signed by the rotation root after its revocation', async () => {
    const m = manifestOf(newPackage({ key: ROTATION }));
    const h = await updatedDevice({ keys: updateKeys([ROTATION.kid]) });
    await refusedAtBegin('revoked-key', m, h);
    // The same package is fine while the key is not revoked.
    const ok = await updatedDevice();
    assert.equal(ok.running.service.begin(UPDATE_ROLE, m).offset, 0);
  });

  it('wrong vendor and wrong class', async () => {
    await refusedAtBegin('wrong-vendor', manifestOf(newPackage({ vendorId: CLASS_ID })));
    await refusedAtBegin('wrong-class', manifestOf(newPackage({ classId: VENDOR_ID })));
  });

  it('counter too low: a validly signed newer version below the security counter (downgrade)', async () => {
    await refusedAtBegin('counter-too-low', manifestOf(newPackage({ version: [2, 0, 0], counter: 2 })));
  });

  it('not newer: a validly signed older or equal version, even with the same counter', async () => {
    await refusedAtBegin('not-newer', manifestOf(newPackage({ version: [0, 9, 9], counter: 3 })));
    await refusedAtBegin('not-newer', manifestOf(newPackage({ version: [1, 0, 0], counter: 3 })));
  });

  it('expired, and an expiring package while the device clock is unknown', async () => {
    const h = await updatedDevice();
    const m = manifestOf(newPackage({ expires: 1_700_000_000 }));
    await refusedAtBegin('clock-unknown', m, h);
    (h.running.service as unknown as { o: { time: () => number } }).o.time = () => 1_700_000_001;
    await refusedAtBegin('expired', m, h);
  });

  it('oversize: an image larger than the bank', async () => {
    await refusedAtBegin('oversize', manifestOf(newPackage({ image: image(3, 4 * BLOCK + 1) })));
  });

  it('wrong role: begin and chunks from anyone but the manufacturer', async () => {
    const pkg = newPackage();
    await refusedAtBegin('wrong-role', manifestOf(pkg), undefined, 'clinician');
    const h = await updatedDevice();
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    const before = h.dev.snapshot();
    refused('wrong-role', () => h.running.service.chunk('patient', 0, splitPackage(pkg).image.subarray(0, 100)));
    refused('wrong-role', () => h.running.service.activate('clinician'));
    refused('wrong-role', () => h.running.service.abort('emergency'));
    assert.deepEqual(h.dev.snapshot(), before);
  });

  it('manifest after image data: chunks before any verified manifest, and a package that starts with its image', async () => {
    const h = await updatedDevice();
    const before = h.dev.snapshot();
    refused('manifest-not-first', () => h.running.service.chunk(UPDATE_ROLE, 0, new Uint8Array(64)));
    assert.deepEqual(h.dev.snapshot(), before);
    const { manifestBytes, image: img } = splitPackage(newPackage());
    refused('manifest-not-first', () => splitPackage(concatBytes(img, manifestBytes)));
    await refusedAtBegin('manifest-not-first', img.subarray(0, 200), h);
  });

  it('malformed: bytes that are no COSE_Sign1 manifest', async () => {
    await refusedAtBegin('malformed', Uint8Array.of(0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40));
    await refusedAtBegin('malformed', new Uint8Array(600));
  });

  it('truncated: activation of a transfer that stopped short; a package file that ends early', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    send(h, pkg, 0, 2 * BLOCK);
    const state = protectedState(h);
    refused('truncated', () => h.running.service.activate(UPDATE_ROLE));
    assert.deepEqual(protectedState(h), state);
    refused('truncated', () => verifyPackage(crypto, pkg.subarray(0, pkg.length - 1), updateKeys()));
    refused('truncated', () => splitPackage(pkg.subarray(0, 40)));
  });

  it('extra bytes: a chunk past the declared size; a package file with a trailing byte', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    const size = splitPackage(pkg).image.length;
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    send(h, pkg, 0, size - 10);
    const state = protectedState(h);
    refused('extra-bytes', () => h.running.service.chunk(UPDATE_ROLE, size - 10, new Uint8Array(11)));
    assert.deepEqual(protectedState(h), state);
    assert.equal(h.running.service.status().state, 'receiving', 'the transfer itself survives a bad chunk');
    refused('extra-bytes', () => verifyPackage(crypto, concatBytes(pkg, Uint8Array.of(0)), updateKeys()));
  });

  it('digest mismatch: right size, wrong bytes; the staged bank is forgotten, nothing else changes', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    const { image: img } = splitPackage(pkg);
    const wrong = makePackage({ version: [9, 9, 9], counter: 9, image: flipped(img, 5000) });
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    const state = protectedState(h);
    assert.throws(() => send(h, wrong, 0), (e: unknown) => e instanceof UpdateError && e.code === 'digest-mismatch');
    assert.deepEqual(protectedState(h), state);
    assert.equal(h.running.service.status().state, 'idle');
    refused('not-staged', () => h.running.service.activate(UPDATE_ROLE));
    refused('digest-mismatch', () => verifyPackage(crypto, concatBytes(manifestOf(pkg), flipped(img, 0)), updateKeys()));
  });

  it('a chunk at the wrong offset is refused; a repeated one is ignored', async () => {
    const h = await updatedDevice();
    const pkg = newPackage();
    h.running.service.begin(UPDATE_ROLE, manifestOf(pkg));
    send(h, pkg, 0, 1000, 250);
    refused('bad-offset', () => h.running.service.chunk(UPDATE_ROLE, 1250, new Uint8Array(10)));
    const repeat = h.running.service.chunk(UPDATE_ROLE, 500, splitPackage(pkg).image.subarray(500, 750));
    assert.equal(repeat.complete, false);
    send(h, pkg, 1000);
    assert.equal(h.running.service.status().state, 'staged');
  });

  it('a whole package verifies with the root key alone (verify-image path)', () => {
    const pkg = newPackage();
    const v = verifyPackage(crypto, pkg, () => ({ ok: true, publicKey: ROOT.publicKey }));
    assert.deepEqual(v.manifest.version, [1, 1, 0]);
  });
});
