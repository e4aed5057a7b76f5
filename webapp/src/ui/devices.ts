// The first screen: who this programmer is (its identity: this phone as a patient, a development
// clinician or manufacturer, or keys loaded from files), the implants it knows, and the three
// ways in: connect (IK to a known implant, XX at first contact), pair in the pairing window
// (with the 6-digit comparison code), and emergency access (magnet held, no credential).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { BluetoothDeviceLike } from '../ble/web-bluetooth.js';
import type { Environment } from '../environment.js';
import { certificateBytes, certifiedIdentity } from '../programmer/identities.js';
import type { Identity } from '../programmer/identities.js';
import type { KnownDevices } from '../programmer/known-devices.js';
import { crypto } from '../programmer/session.js';
import type { Connection, ConnectMode } from './app.js';
import { ActionButton, NoticeLine } from './common.js';
import type { Notice } from './common.js';

interface Props {
  env: Environment;
  known: KnownDevices;
  version: number;
  identities: Identity[];
  identity: Identity;
  onIdentity(id: string): void;
  onLoaded(identity: Identity): void;
  connection: Connection;
  device: BluetoothDeviceLike | undefined;
  onForget(): void;
  onOpened(): void;
}

async function fileBytes(input: HTMLInputElement | null): Promise<Uint8Array | undefined> {
  const file = input?.files?.[0];
  return file ? new Uint8Array(await file.arrayBuffer()) : undefined;
}

function KeyLoader({ onLoaded, onNotice }: { onLoaded(i: Identity): void; onNotice(n: Notice): void }) {
  let keyInput: HTMLInputElement | null = null;
  let certInput: HTMLInputElement | null = null;
  const load = async () => {
    const key = await fileBytes(keyInput);
    const cert = await fileBytes(certInput);
    if (!key || !cert) throw new Error('Choose both the key file (.key.pem) and the certificate file (.cert).');
    const identity = certifiedIdentity(crypto, `Loaded ${certInput!.files![0].name}`, new TextDecoder().decode(key), certificateBytes(cert), false);
    onLoaded(identity);
    onNotice({ kind: 'ok', text: `Loaded a ${identity.role} identity.` });
  };
  return html`<details class="card">
    <summary>Load a programmer key and certificate</summary>
    <label>Key (PEM, from <code>implant keygen --kind programmer</code>)<input type="file" accept=".pem,.key" ref=${(e: HTMLInputElement | null) => (keyInput = e)} data-test="key-file" /></label>
    <label>Certificate (from <code>implant cert issue</code>)<input type="file" ref=${(e: HTMLInputElement | null) => (certInput = e)} data-test="cert-file" /></label>
    <${ActionButton} label="Use these" action=${load} onError=${(text: string) => onNotice({ kind: 'error', text })} test="load-identity" />
  </details>`;
}

export function DevicesScreen(p: Props) {
  const [notice, setNotice] = useState<Notice>();
  const [sas, setSas] = useState<string>();
  // The implant does not say whether its window is open (docs/protocol.md §2); the simulator's console does.
  const [windowOpen, setWindowOpen] = useState<boolean>();
  useEffect(() => p.env.sim?.onConsole((line) => {
    if (line.topic === 'access' && /^pairing window (open|closed)$/.test(line.text)) setWindowOpen(line.text.endsWith('open'));
  }), [p.env.sim]);
  const session = p.connection.session;
  const open = async (mode: ConnectMode) => {
    setSas(undefined);
    setNotice(undefined);
    const s = await p.connection.open(mode);
    if (s.sas) {
      setSas(s.sas);
      setNotice({ kind: 'ok', text: 'Paired. Check that the implant shows the same code.' });
    } else p.onOpened();
  };
  const fail = (text: string) => setNotice({ kind: 'error', text });
  const devices = p.known.list();
  void p.version;
  return html`
    <section class="card">
      <h2>Programmer identity</h2>
      <select value=${p.identity.id} onChange=${(e: Event) => p.onIdentity((e.target as HTMLSelectElement).value)} data-test="identity">
        ${p.identities.map((i) => html`<option value=${i.id}>${i.label}${i.development ? ' (DEVELOPMENT KEYS)' : ''}</option>`)}
      </select>
      <p class="hint">${p.identity.role === 'patient' ? 'A patient phone: it pairs in the pairing window and may then read status and adjust its rate inside the range the clinician set.'
        : `A ${p.identity.role} certificate${p.identity.development ? ' from the simulator (development keys)' : ''}.`}</p>
      <${KeyLoader} onLoaded=${p.onLoaded} onNotice=${setNotice} />
    </section>
    <section class="card">
      <h2>Implant</h2>
      <p class="hint">${p.env.transport === 'simulator' ? 'Served by the simulator: the implant is the simulated one, reached over the bridge.'
        : 'The browser shows the implants in range (only devices advertising the implant service).'}</p>
      <div class="buttons">
        <${ActionButton} label=${p.device ? 'Connect' : 'Find implant'} action=${() => open('connect')} onError=${fail} disabled=${!p.env.bluetooth} kind="primary" test="connect" />
        <${ActionButton} label="Pair" action=${() => open('pair')} onError=${fail} disabled=${!p.env.bluetooth} test="pair" />
        <${ActionButton} label="Emergency access" action=${() => open('emergency')} onError=${fail} disabled=${!p.env.bluetooth} kind="danger" test="emergency" />
        ${session ? html`<button onClick=${() => p.connection.close()} data-test="disconnect">Disconnect</button>` : null}
      </div>
      <p class="hint">Pairing: hold the magnet (on a dev board: the button) for 3 to 10 seconds and release it; the pairing window stays open for a minute.
        Emergency access: hold the magnet for 15 seconds without a break and keep it there while you connect and work.</p>
      ${windowOpen !== undefined ? html`<p data-test="pairing-window">Pairing window (simulator console): <b>${windowOpen ? 'open' : 'closed'}</b></p>` : null}
      ${session ? html`<p data-test="session-state">Connected to ${session.info.model} (protocol ${session.info.protocol}) with ${session.pattern === 'IK' ? 'the key learned at pairing (IK)' : 'a first-contact handshake (XX)'}.</p>` : null}
      ${sas ? html`<div class="sas" data-test="sas-box">Comparison code <output data-test="sas">${sas}</output>
        <small>The implant shows (console or LED blinks) the same six digits. If they differ, someone is in the middle: disconnect.</small>
        <button onClick=${() => p.onOpened()} data-test="sas-ok">Codes match</button></div>` : null}
      <${NoticeLine} notice=${notice} test="devices-notice" />
    </section>
    <section class="card">
      <h2>Known implants</h2>
      ${devices.length === 0 ? html`<p class="hint">None yet: the first contact learns the implant's key (pairing); later sessions use it.</p>` : html`
      <ul class="devices" data-test="known-devices">
        ${devices.map((d) => html`<li><b>${d.name}</b> <code>${d.staticKey.slice(0, 16)}…</code><small>first met ${new Date(d.firstSeen).toLocaleString()}</small>
          <button class="small" onClick=${() => { p.known.forget(d.id); p.onForget(); }}>Forget</button></li>`)}
      </ul>`}
    </section>`;
}
