// The status registry (modules/status/registry.ts): every concern's codes inside the range it
// owns, none defined twice, each named; and through the assembled firmware, refusals of every
// concern reach the audit log by name (therapy's and the updater's were once "STATUS_n").
import assert from 'node:assert/strict';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../modules/bootloader/identity.js';
import { splitPackage } from '../../modules/bootloader/package.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { STATUS_RANGES, statusName } from '../../modules/status/registry.js';
import { TherapyStatus } from '../../modules/therapy/status.js';
import { UpdateStatus } from '../../modules/bootloader/status.js';
import { run, settle } from '../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../host/board/programmer-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import { image, makePackage } from '../../host/fixtures/update-fixture.js';

describe('status registry', () => {
  it('every code lies in the range its concern owns, is defined once, and is named', () => {
    const seen = new Map<number, string>();
    for (const range of STATUS_RANGES) {
      for (const [name, code] of Object.entries(range.table)) {
        assert.ok(Number.isInteger(code) && code >= range.first && code <= range.last, `${range.concern} ${name} = ${code} outside ${range.first}-${range.last}`);
        assert.ok(!seen.has(code), `${code} is both ${seen.get(code)} and ${name}`);
        seen.set(code, name);
        assert.equal(statusName(code), name);
      }
    }
    assert.ok(seen.size > 60, 'all four tables were read');
    assert.equal(statusName(31), 'STATUS_31', 'a free code in the channel range');
    assert.equal(statusName(200), 'STATUS_200', 'outside every range');
  });

  it('the assembled firmware audits therapy and update refusals by name', async () => {
    const b = new SimBoard({ banks: true }).boot();
    await run(b.clock, 1000);
    b.button(true); // programming and ota.begin need presence
    const clinician = await programmerSession(b, programmerIdentity('clinician', 21));
    const program = await settle(b.clock, clinician.client.request('therapy.program', new Map<string, CborValue>([['lrl', 92]])));
    assert.equal(program.status, TherapyStatus.PARAMETER_RANGE, '92 ppm is off the Table 7 grid');
    clinician.central.disconnect();
    await run(b.clock, 100);
    const manufacturer = await programmerSession(b, programmerIdentity('manufacturer', 22));
    // Signed by the real root, but for another board's class.
    const { manifestBytes } = splitPackage(makePackage({ vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS.nrf52)!, version: [2, 0, 0], counter: 9, image: image(3, 100) }));
    const begin = await settle(b.clock, manufacturer.client.request('ota.begin', new Map([['manifest', manifestBytes]])));
    assert.equal(begin.status, UpdateStatus['wrong-class']);
    manufacturer.central.disconnect();
    await run(b.clock, 100);
    const details = b.firmware.storage!.audit.entries().map((e) => `${e.event} ${e.outcome} ${e.detail}`);
    assert.ok(details.some((d) => d.includes('therapy.program') && d.includes('PARAMETER_RANGE')), details.join('\n'));
    assert.ok(details.some((d) => d.includes('ota.begin') && d.includes('wrong-class')), details.join('\n'));
    assert.ok(!details.some((d) => /STATUS_\d/.test(d)), 'no refusal logged as a bare number');
    b.firmware.stop();
  });
});
