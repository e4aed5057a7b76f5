// Programming: a clinician changes permanent or temporary parameters choosing only values on
// the therapy table's grids, and sets the patient's range; a patient moves its own rate inside
// that range or marks a symptom. Every refusal is the device's own, explained in plain words.
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CborValue } from '../../../modules/core/cbor.js';
import { PARAMETER_TABLE } from '../../../modules/therapy/params.js';
import type { RoleName } from '../programmer/identities.js';
import { formatValue, gridValues, isTemporaryOnly, parameterChoices } from '../programmer/parameters.js';
import type { ParameterValue } from '../programmer/parameters.js';
import type { Connection } from './app.js';
import { ActionButton, field, NoticeLine } from './common.js';
import type { Notice } from './common.js';

const LRL_VALUES = gridValues(PARAMETER_TABLE.lrl) as number[];
/** Shown first; the rest sit under "All parameters". */
const MAIN = new Set(['mode', 'lrl', 'url', 'avDelay', 'vAmplitude', 'vPulseWidth', 'vSensitivity', 'aAmplitude']);

function encode(value: string, sample: ParameterValue): ParameterValue {
  if (typeof sample === 'boolean') return value === 'true';
  if (typeof sample === 'number') return Number(value);
  return value;
}

function ParameterRow({ name, label, values, current, edited, onChange }: { name: string; label: string; values: readonly ParameterValue[]; current: ParameterValue | undefined; edited: ParameterValue | undefined; onChange(v: ParameterValue): void }) {
  const shown = edited ?? current;
  return html`<label class=${`param ${edited !== undefined && edited !== current ? 'changed' : ''}`}>
    <span>${label}</span>
    <select value=${String(shown)} onChange=${(e: Event) => onChange(encode((e.target as HTMLSelectElement).value, values[0]))} data-test=${`param-${name}`}>
      ${current === undefined ? html`<option value="undefined">—</option>` : null}
      ${values.map((v) => html`<option value=${String(v)}>${formatValue(name, v)}</option>`)}
    </select>
  </label>`;
}

function ClinicianProgramming({ connection }: { connection: Connection }) {
  const session = connection.session!;
  const choices = useMemo(parameterChoices, []);
  const [current, setCurrent] = useState<Map<string, CborValue>>();
  const [temporary, setTemporary] = useState(false);
  const [edits, setEdits] = useState<Record<string, ParameterValue>>({});
  const [range, setRange] = useState<[number, number]>();
  const [notice, setNotice] = useState<Notice>();
  const load = async () => {
    const i = await session.call('therapy.interrogate');
    const perm = field(i, 'permanent');
    setCurrent(perm instanceof Map ? (perm as Map<string, CborValue>) : undefined);
    setTemporary(field(i, 'temporary') instanceof Map);
    const r = await session.call('therapy.patient-range.get');
    const lo = field(r, 'lrlMin'), hi = field(r, 'lrlMax');
    setRange(typeof lo === 'number' && typeof hi === 'number' ? [lo, hi] : undefined);
  };
  useEffect(() => {
    load().catch((e: Error) => setNotice({ kind: 'error', text: e.message }));
  }, [session]);
  const changes = Object.entries(edits).filter(([k, v]) => current?.get(k) !== v);
  const send = async (command: 'therapy.program' | 'therapy.program-temporary') => {
    if (changes.length === 0) throw new Error('Nothing changed.');
    await session.call(command, Object.fromEntries(changes));
    setEdits({});
    setNotice({ kind: 'ok', text: command === 'therapy.program' ? `Programmed: ${changes.map(([k, v]) => `${k} ${formatValue(k, v)}`).join(', ')}.` : 'Temporary parameters running (they end with this session or on request).' });
    await load();
  };
  const fail = (text: string) => setNotice({ kind: 'error', text });
  const row = (c: (typeof choices)[number]) => html`<${ParameterRow} name=${c.name} label=${c.label} values=${c.values} current=${current?.get(c.name) as ParameterValue | undefined}
    edited=${edits[c.name]} onChange=${(v: ParameterValue) => setEdits({ ...edits, [c.name]: v })} />`;
  const [lo, setLo] = useState<number>();
  const [hi, setHi] = useState<number>();
  return html`
    <section class="card">
      <h2>Therapy parameters</h2>
      <p class="hint">Only the values the implant's parameter grid allows are offered. Programming needs the magnet held (physical presence).</p>
      <div class="params">${choices.filter((c) => MAIN.has(c.name)).map(row)}</div>
      <details><summary>All parameters</summary><div class="params">${choices.filter((c) => !MAIN.has(c.name)).map(row)}</div></details>
      <div class="buttons">
        <${ActionButton} label=${`Program ${changes.length || ''}`.trim()} kind="primary" action=${() => send('therapy.program')} onError=${fail} disabled=${changes.length === 0 || isTemporaryOnly(edits.mode)} test="program" />
        <${ActionButton} label="Program temporarily" action=${() => send('therapy.program-temporary')} onError=${fail} disabled=${changes.length === 0} test="program-temporary" />
        ${temporary ? html`<${ActionButton} label="End temporary" action=${async () => { await session.call('therapy.end-temporary'); await load(); setNotice({ kind: 'ok', text: 'Back to the permanent parameters.' }); }} onError=${fail} test="end-temporary" />` : null}
        <button onClick=${() => setEdits({})} disabled=${changes.length === 0}>Undo changes</button>
      </div>
      <${NoticeLine} notice=${notice} test="program-notice" />
    </section>
    <section class="card">
      <h2>Patient range</h2>
      <p class="hint">The patient's phone may move the lower rate inside this range. Now: <b data-test="patient-range">${range ? `${range[0]}–${range[1]} /min` : 'none set'}</b></p>
      <div class="params">
        <label class="param"><span>From</span><select onChange=${(e: Event) => setLo(Number((e.target as HTMLSelectElement).value))} data-test="range-min">${LRL_VALUES.map((v) => html`<option selected=${v === (lo ?? range?.[0] ?? 50)} value=${v}>${v}</option>`)}</select></label>
        <label class="param"><span>To</span><select onChange=${(e: Event) => setHi(Number((e.target as HTMLSelectElement).value))} data-test="range-max">${LRL_VALUES.map((v) => html`<option selected=${v === (hi ?? range?.[1] ?? 80)} value=${v}>${v}</option>`)}</select></label>
      </div>
      <${ActionButton} label="Set patient range" action=${async () => { await session.call('therapy.patient-range.set', { lrlMin: lo ?? range?.[0] ?? 50, lrlMax: hi ?? range?.[1] ?? 80 }); await load(); setNotice({ kind: 'ok', text: 'Patient range set.' }); }} onError=${fail} test="set-range" />
    </section>`;
}

function PatientActions({ connection }: { connection: Connection }) {
  const session = connection.session!;
  const [range, setRange] = useState<[number, number]>();
  const [rate, setRate] = useState<number>();
  const [notice, setNotice] = useState<Notice>();
  useEffect(() => {
    session.call('therapy.patient-range.get').then((r) => {
      const lo = field(r, 'lrlMin'), hi = field(r, 'lrlMax');
      setRange(typeof lo === 'number' && typeof hi === 'number' ? [lo, hi] : undefined);
    }).catch((e: Error) => setNotice({ kind: 'error', text: e.message }));
  }, [session]);
  const values = range ? LRL_VALUES.filter((v) => v >= range[0] && v <= range[1]) : [];
  const fail = (text: string) => setNotice({ kind: 'error', text });
  return html`<section class="card">
    <h2>My pacing rate</h2>
    ${range ? html`<p class="hint">Your clinician allows ${range[0]} to ${range[1]} beats per minute.</p>
      <select onChange=${(e: Event) => setRate(Number((e.target as HTMLSelectElement).value))} data-test="patient-rate">${values.map((v) => html`<option value=${v}>${v} /min</option>`)}</select>
      <${ActionButton} label="Set my rate" action=${async () => { await session.call('therapy.patient.set-rate', { lrl: rate ?? values[0] }); setNotice({ kind: 'ok', text: 'Rate set.' }); }} onError=${fail} test="patient-set-rate" />`
      : html`<p class="hint">Your clinician has not set a range you may adjust.</p>`}
    <h2>Symptom</h2>
    <${ActionButton} label="I feel a symptom now" action=${async () => { await session.call('therapy.patient.symptom'); setNotice({ kind: 'ok', text: 'Noted: your clinician will see the time in the implant log.' }); }} onError=${fail} test="symptom" />
    <${NoticeLine} notice=${notice} test="program-notice" />
  </section>`;
}

export function ProgramScreen({ connection, role }: { connection: Connection; role: RoleName | undefined }) {
  if (!connection.session) return html`<section class="card"><p>Not connected. Connect on the Devices tab.</p></section>`;
  if (role === 'patient') return html`<${PatientActions} connection=${connection} />`;
  return html`<${ClinicianProgramming} connection=${connection} />`;
}
