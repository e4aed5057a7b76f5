// Runs of one repeated audit event are summarised (modules/storage/audit-runs.ts): nothing is
// lost but at most SUMMARY_EVERY - 1 repeats at a power cut, and a run takes a handful of entries.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AuditEvent } from '../../modules/storage/audit-entry.js';
import { AUDIT_RUNS, AuditRuns } from '../../modules/storage/audit-runs.js';

const mark: AuditEvent = { event: 'command', actor: { role: 'patient', keyId: '0102' }, outcome: 'ok', detail: 'therapy.patient.symptom' };
const other: AuditEvent = { ...mark, detail: 'therapy.interrogate' };

/** Events each written entry stands for: 1, or the count an 'audit.repeated' entry carries. */
const represented = (e: AuditEvent) => (e.event === 'audit.repeated' ? Number(e.detail!.split(' ')[0]) : 1);

describe('storage: audit runs', () => {
  it('writes 400 identical events as the first one and one summary per 64, the rest when the run ends', () => {
    const written: AuditEvent[] = [];
    const runs = new AuditRuns((e) => void written.push(e));
    for (let i = 0; i < 400; i++) runs.append(mark);
    runs.append(other);
    assert.deepEqual(written.map((e) => e.event), ['command', ...Array<string>(7).fill('audit.repeated'), 'command']);
    assert.equal(written[1].detail, '64 more: command therapy.patient.symptom');
    assert.equal(written.slice(0, -1).reduce((n, e) => n + represented(e), 0), 400);
  });

  it('accounts for every event of any sequence, holding back fewer than SUMMARY_EVERY', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(mark, other), { maxLength: 500 }), (events) => {
      const written: AuditEvent[] = [];
      const runs = new AuditRuns((e) => void written.push(e));
      for (const e of events) runs.append(e);
      const counted = written.reduce((n, e) => n + represented(e), 0);
      assert.ok(counted <= events.length && events.length - counted < AUDIT_RUNS.SUMMARY_EVERY);
    }));
  });
});
