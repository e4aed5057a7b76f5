// The update format's known answer (docs/update-format.md §5) and the boot record, on Node and
// inside the XS engine: the same bytes must come out of both.
import { bytesEqual, equal, ok, throws } from '../lib/assert.js';
import { fromHex, toHex, utf8 } from '../../modules/core/bytes.js';
import { nobleProvider } from '../../modules/crypto/noble-provider.js';
import { keyIdOf } from '../../modules/access/key-id.js';
import { decodeBootRecord, encodeBootRecord } from '../../modules/bootloader/boot-record.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { buildPackage, verifyPackage } from '../../modules/bootloader/package.js';

const crypto = nobleProvider;
// The documented example: secret key 00 01 .. 1f, image "implant example\n".
const SK = fromHex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
const EXAMPLE = 'd2844da20127044856475aa75463474ca0585ba8010102507e5a00004c1b4e8b9d3a2f6c1b0e9a5103507e5a01004c1b4e8b9d3a2f6c1b0e9a51'
  + '04830102030507061007822f582065084a5aa1ef6de1e0f28444f566098afdf2bc10df4e2b2c7574b66585c4d876081a6b36ec805840919a7e59b3ae'
  + '0d3b58122bcbbb88f7ae253c7fcfaeac8a03abb813fe46275e9efd6d02434e60d32a949856e3d6d124f282fc75cfba77c7e548dae003d9bdc001'
  + '696d706c616e74206578616d706c650a';

describe('update format (portable)', () => {
  it('builds the documented example package byte for byte and verifies it', () => {
    const pk = crypto.ed25519.publicKey(SK);
    equal(toHex(pk), '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8');
    const kid = keyIdOf(crypto.sha256, pk);
    const pkg = buildPackage(crypto, { secretKey: SK, kid }, {
      vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS.esp32)!,
      version: [1, 2, 3], securityCounter: 7, expires: 1798761600,
    }, utf8('implant example\n'));
    equal(toHex(pkg), EXAMPLE);
    const v = verifyPackage(crypto, pkg, () => ({ ok: true, publicKey: pk }));
    equal(v.manifest.securityCounter, 7);
    bytesEqual(v.kid, kid);
    const tampered = pkg.slice();
    tampered[40] ^= 1;
    throws(() => verifyPackage(crypto, tampered, () => ({ ok: true, publicKey: pk })), { code: 'bad-signature' });
  });

  it('encodes the boot record as documented and refuses a torn one', () => {
    const bytes = encodeBootRecord({ seq: 5, state: 'trying', confirmed: 0, trial: 1, note: 'trial-started' });
    equal(toHex(bytes.subarray(0, 16)), '49424f540102000102ffffff05000000');
    ok(decodeBootRecord(bytes)?.state === 'trying');
    bytes[31] ^= 0x80;
    equal(decodeBootRecord(bytes), undefined);
  });
});
