// The patient range at rest: only a range on the LRL grid and in order comes back from its codec,
// and the sealed record, kept under its own key next to the pacing parameters, survives a reboot.
import assert from 'node:assert/strict';
import { patientRangeCodec } from '../../modules/therapy-control/patient-range.js';
import { therapyParamsCodec } from '../../modules/therapy-control/saved-params.js';
import { encodeCbor } from '../../modules/core/cbor.js';
import { RecordKeys } from '../../modules/storage/record-keys.js';
import { NOMINAL } from '../../modules/therapy/params.js';
import { Device } from '../storage/fixture.js';

describe('access: patient range at rest', () => {
  it('decodes a valid range or none, and refuses off-grid, inverted or malformed bytes', () => {
    assert.deepEqual(patientRangeCodec.decode(patientRangeCodec.encode({ lrlMin: 55, lrlMax: 95 })), { lrlMin: 55, lrlMax: 95 });
    assert.equal(patientRangeCodec.decode(patientRangeCodec.encode(null)), null);
    for (const bad of [[61, 92], [80, 60], [25, 60], [60], [60, 70, 80], ['60', 70], new Map([['lrlMin', 60]])]) {
      assert.equal(patientRangeCodec.decode(encodeCbor(bad as never)), undefined, String(bad));
    }
    assert.equal(patientRangeCodec.decode(Uint8Array.of(0xff, 0x00)), undefined);
  });

  it('is stored sealed under its own record, apart from the parameters, and restored after a reboot', () => {
    const device = new Device();
    const storage = device.boot();
    storage.params(therapyParamsCodec).save({ ...NOMINAL, lrl: 70 });
    assert.deepEqual(storage.params(patientRangeCodec, RecordKeys.patientRange).load().value, null, 'none by default');
    storage.params(patientRangeCodec, RecordKeys.patientRange).save({ lrlMin: 60, lrlMax: 80 });
    const rebooted = device.boot();
    assert.deepEqual(rebooted.params(patientRangeCodec, RecordKeys.patientRange).load(), { value: { lrlMin: 60, lrlMax: 80 }, source: 'stored' });
    assert.equal(rebooted.params(therapyParamsCodec).load().value.lrl, 70, 'the parameters are untouched');
  });
});
