// The audit log: read from the implant (clinician), checked (every entry decodes canonically,
// no entry missing), shown newest first, and saved as JSON.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { readAuditLog } from '../programmer/audit.js';
import type { AuditReading } from '../programmer/audit.js';
import type { RoleName } from '../programmer/identities.js';
import type { Connection } from './app.js';
import { ActionButton, NoticeLine } from './common.js';
import type { Notice } from './common.js';

function save(reading: AuditReading): void {
  const blob = new Blob([JSON.stringify({ first: reading.first, next: reading.next, valid: reading.valid, problems: reading.problems, entries: reading.entries }, null, 1)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `implant-audit-${new Date().toISOString().slice(0, 19)}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function AuditScreen({ connection }: { connection: Connection; role: RoleName | undefined }) {
  const [reading, setReading] = useState<AuditReading>();
  const [progress, setProgress] = useState('');
  const [notice, setNotice] = useState<Notice>();
  const session = connection.session;
  if (!session) return html`<section class="card"><p>Not connected. Connect on the Devices tab.</p></section>`;
  const read = async () => {
    const r = await readAuditLog(session, (got, total) => setProgress(`${got} of ${total}`));
    setReading(r);
    setNotice(r.valid ? { kind: 'ok', text: `Verified: ${r.entries.length} entries, numbers ${r.first} to ${r.next - 1} complete, each in its canonical form.` }
      : { kind: 'error', text: `Verification failed: ${r.problems.join('; ')}.` });
  };
  return html`<section class="card">
    <h2>Audit log</h2>
    <p class="hint">Every session, refusal and change the implant made, hash-chained on the device. Reading it is a clinician's right, and is itself logged.</p>
    <div class="buttons">
      <${ActionButton} label="Read and verify" kind="primary" action=${read} onError=${(text: string) => setNotice({ kind: 'error', text })} test="audit-read" />
      ${reading ? html`<button onClick=${() => save(reading)}>Save as JSON</button>` : null}
      <small>${progress}</small>
    </div>
    <${NoticeLine} notice=${notice} test="audit-result" />
    ${reading ? html`<div class="table"><table data-test="audit-table">
      <thead><tr><th>#</th><th>time</th><th>event</th><th>who</th><th>outcome</th><th>detail</th></tr></thead>
      <tbody>${reading.entries.slice().reverse().map((e) => html`<tr class=${e.outcome === 'ok' ? '' : 'refused'}>
        <td>${e.seq}</td><td>${e.time ? new Date(e.time).toISOString().slice(5, 19).replace('T', ' ') : '—'}</td><td>${e.event}</td>
        <td>${e.actor.role}${e.actor.keyId ? html` <code>${e.actor.keyId.slice(0, 8)}</code>` : ''}</td><td>${e.outcome}</td><td>${e.detail ?? ''}</td></tr>`)}</tbody>
    </table></div>` : null}
  </section>`;
}
