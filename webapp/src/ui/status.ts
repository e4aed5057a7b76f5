// Status: what the implant says about itself (interrogation), its alerts, and, for a clinician,
// the live marker strip and rate trend. Emergency access offers Pace-Now here.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { CborValue } from '../../../modules/core/cbor.js';
import type { RoleName } from '../programmer/identities.js';
import { formatValue } from '../programmer/parameters.js';
import type { Connection } from './app.js';
import { ActionButton, field, NoticeLine, plain } from './common.js';
import type { Notice } from './common.js';
import { LiveView } from './live.js';

interface Snapshot {
  whoami?: CborValue;
  update?: CborValue;
  interrogation?: CborValue;
  alerts?: CborValue;
}

const versionOf = (v: unknown) => (Array.isArray(v) ? v.join('.') : '—');

const STATE_WORDS: Readonly<Record<string, string>> = {
  por: 'power-on reset values', safe: 'SAFE MODE', permanent: 'programmed (permanent)', temporary: 'temporary parameters', 'pace-now': 'Pace-Now (emergency settings)',
};

const BATTERY_WORDS: Readonly<Record<string, string>> = { BOL: 'good (beginning of life)', ERN: 'replace soon (elective replacement near)', ERT: 'replace now (elective replacement time)', ERP: 'end of service' };

export function StatusScreen({ connection, role, active }: { connection: Connection; role: RoleName | undefined; active: boolean }) {
  const session = connection.session;
  const [snap, setSnap] = useState<Snapshot>({});
  const [notice, setNotice] = useState<Notice>();
  const refresh = async () => {
    if (!session) return;
    const next: Snapshot = {};
    if (role !== 'emergency') next.whoami = await session.call('access.whoami');
    if (role === 'manufacturer') next.update = await session.call('ota.status');
    else next.interrogation = await session.call('therapy.interrogate');
    if (role === 'patient' || role === 'clinician') next.alerts = await session.call('access.alerts.read');
    setSnap(next);
  };
  useEffect(() => setSnap({}), [session]);
  // Read again whenever the screen is shown: programming elsewhere changes what it says.
  useEffect(() => {
    if (session && active) refresh().catch((e: Error) => setNotice({ kind: 'error', text: e.message }));
  }, [session, active]);
  if (!session) return html`<section class="card"><p>Not connected. Connect on the Devices tab.</p></section>`;
  const i = snap.interrogation;
  const engine = field(i, 'engine');
  const permanent = field(i, 'permanent');
  const temporary = field(i, 'temporary');
  const alerts = Array.isArray(snap.alerts) ? snap.alerts : [];
  const fail = (text: string) => setNotice({ kind: 'error', text });
  return html`
    <section class="card" data-test="status">
      <h2>Status</h2>
      <dl class="facts">
        <dt>Role</dt><dd data-test="role">${String(field(snap.whoami, 'role') ?? role)}</dd>
        <dt>Implant</dt><dd>${session.info.model}</dd>
        ${snap.update ? html`<dt>Firmware</dt><dd data-test="firmware">${versionOf(field(snap.update, 'running'))} (${String(field(snap.update, 'state'))})</dd>` : null}
        <dt>Therapy</dt><dd data-test="therapy-state">${STATE_WORDS[String(field(i, 'state'))] ?? String(field(i, 'state') ?? '…')}</dd>
        <dt>Mode</dt><dd data-test="mode">${String(field(engine, 'effectiveMode') ?? '…')}${field(engine, 'magnet') === true ? ' (magnet)' : ''}</dd>
        <dt>Lower rate</dt><dd data-test="lrl">${formatValue('lrl', field(temporary, 'lrl') as number ?? field(permanent, 'lrl') as number)}${temporary ? ' (temporary)' : ''}</dd>
        <dt>Upper rate</dt><dd>${formatValue('url', field(permanent, 'url') as number)}</dd>
        <dt>Battery</dt><dd data-test="battery">${BATTERY_WORDS[String(field(i, 'battery'))] ?? String(field(i, 'battery') ?? '…')}</dd>
        <dt>Alerts</dt><dd data-test="alerts">${alerts.length === 0 ? 'none' : alerts.map((a) => `${String(field(a, 'kind'))} ×${String(field(a, 'count'))}`).join(', ')}</dd>
      </dl>
      ${field(i, 'state') === 'safe' ? html`<p class="notice warn" data-test="safe-mode">Safe mode: the implant reset three times within 48 hours and paces at its safe settings, refusing all programming. A clinician clears it with the magnet held.</p>` : null}
      <div class="buttons">
        ${field(i, 'state') === 'safe' && role === 'clinician' ? html`<${ActionButton} label="Clear safe mode" kind="primary" action=${async () => { await session.call('therapy.clear-safe-mode'); setNotice({ kind: 'ok', text: 'Safe mode cleared: programming is possible again.' }); await refresh(); }} onError=${fail} test="clear-safe-mode" />` : null}
        <${ActionButton} label="Interrogate again" action=${refresh} onError=${fail} test="interrogate" />
        ${alerts.length > 0 ? html`<${ActionButton} label="Acknowledge alerts" action=${async () => { await session.call('access.alerts.ack'); await refresh(); }} onError=${fail} />` : null}
        ${role === 'emergency' || role === 'clinician' ? html`<${ActionButton} label="Pace-Now" kind="danger" action=${async () => { await session.call('therapy.pace-now'); setNotice({ kind: 'ok', text: 'Pace-Now started: pacing at the emergency settings.' }); await refresh(); }} onError=${fail} test="pace-now" />` : null}
      </div>
      <${NoticeLine} notice=${notice} test="status-notice" />
      <details><summary>Full interrogation</summary><pre data-test="interrogation">${JSON.stringify(plain(i), null, 1)}</pre></details>
    </section>
    ${role === 'clinician' ? html`<${LiveView} session=${session} />` : html`<section class="card"><p class="hint">The live marker strip is for clinician programmers.</p></section>`}`;
}
