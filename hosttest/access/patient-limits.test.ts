// An authenticated patient phone has limits, through the assembled firmware over the BLE shim
// (docs/access-control.md, "Authenticated work" and "Alerts"): its requests are charged to the
// energy budget per session and per day, a run of one repeated action is summarised in the audit
// log instead of flushing older history, and each bonded phone acknowledges alerts for itself.
import assert from 'node:assert/strict';
import { WORK } from '../../modules/access/work-meter.js';
import { Status } from '../../modules/channel/status.js';
import type { CborMap } from '../../modules/core/cbor.js';
import { run } from '../../host/board/drive.js';
import { pair, phoneSession } from '../../host/board/phone-session.js';
import { SimBoard } from '../../host/board/sim-board.js';
import type { Booted } from '../../host/board/sim-board.js';
import { keyPair } from '../../host/fixtures/channel-fixture.js';
import { Prng } from '../../host/lib/prng.js';

const auditEvents = (b: Booted) => b.firmware.storage!.audit.entries().map((e) => e.event);

describe('access: limits of an authenticated patient phone, through the firmware', () => {
  it('400 symptom marks in a row: metered per session, summarised in the log, and the bond record stays', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const phone = keyPair(new Prng(31));
    await pair(b, phone);
    assert.ok(auditEvents(b).includes('bond.confirmed'));
    const s = await phoneSession(b, phone, 'IK');
    const statuses: number[] = [];
    for (let i = 0; i < 400; i++) statuses.push((await s.call('therapy.patient.symptom')).status);
    await s.close();
    const accepted = statuses.filter((x) => x === Status.OK).length;
    // An argument-less command is charged 320 µJ (work-meter.test.ts): 43 fit a session's allowance.
    assert.equal(accepted, Math.floor(WORK.SESSION_UJ / 320), `${accepted} marks ran in one session`);
    assert.ok(statuses.slice(accepted).every((x) => x === Status.RATE_LIMITED), 'then RATE_LIMITED, nothing runs');
    const events = auditEvents(b);
    assert.ok(events.includes('bond.added') && events.includes('bond.confirmed'), 'the bond record is still in the log');
    const marks = b.firmware.storage!.audit.entries().filter((e) => e.detail?.includes('therapy.patient.symptom'));
    assert.ok(marks.length <= 8, `${marks.length} entries for 400 attempts`);
    b.firmware.stop();
  });

  it('each bonded phone acknowledges alerts for itself: a second phone cannot hide them from the first', async () => {
    const b = new SimBoard().boot();
    await run(b.clock, 100);
    const mine = keyPair(new Prng(41));
    const rogue = keyPair(new Prng(42));
    await pair(b, mine);
    await run(b.clock, 61_000);
    await pair(b, rogue);
    b.openCase();
    const kinds = (alerts: unknown) => (alerts as CborMap[]).map((a) => a.get('kind'));
    const r = await phoneSession(b, rogue, 'IK');
    assert.ok(kinds((await r.call('access.alerts.read')).result).includes('tamper'));
    assert.equal((await r.call('access.alerts.ack')).status, Status.OK);
    assert.deepEqual(kinds((await r.call('access.alerts.read')).result), [], 'its own view is clear');
    await r.close();
    const m = await phoneSession(b, mine, 'IK');
    const pending = kinds((await m.call('access.alerts.read')).result);
    assert.ok(pending.includes('tamper') && pending.includes('bond-added'), `the patient's phone still sees them: ${pending.join(', ')}`);
    await m.close();
    b.firmware.stop();
  });
});
