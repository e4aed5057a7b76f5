// The simulator's controls (only when it serves the app): the heart scenario, the board's button
// as the magnet, the battery, reboot and power cut, and the device console as it prints.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleLine, SimControl, SimState } from '../sim/control.js';
import { ActionButton, NoticeLine } from './common.js';
import type { Notice } from './common.js';

const BATTERY = ['BOL', 'ERN', 'ERT', 'ERP'];
const consoleLines: ConsoleLine[] = [];

export function SimulatorScreen({ sim }: { sim: SimControl }) {
  const [state, setState] = useState<SimState>();
  const [lines, setLines] = useState<ConsoleLine[]>(consoleLines.slice());
  const [notice, setNotice] = useState<Notice>();
  const refresh = async () => setState(await sim.state());
  useEffect(() => {
    refresh().catch((e: Error) => setNotice({ kind: 'error', text: e.message }));
    return sim.onConsole(() => setLines(consoleLines.slice(-200)));
  }, [sim]);
  const fail = (text: string) => setNotice({ kind: 'error', text });
  const act = (f: () => Promise<unknown>) => async () => {
    await f();
    await refresh();
  };
  return html`<section class="card">
    <h2>Simulator</h2>
    ${state ? html`<p class="hint" data-test="sim-state">Board ${state.board}, firmware ${state.firmware}, battery ${state.battery.voltage.toFixed(2)} V.</p>` : null}
    <label class="param"><span>Heart</span>
      <select value=${state?.scenario} onChange=${(e: Event) => act(() => sim.scenario((e.target as HTMLSelectElement).value))().catch((x: Error) => fail(x.message))} data-test="sim-scenario">
        ${(state?.scenarios ?? []).map((s) => html`<option value=${s}>${s}</option>`)}
      </select></label>
    <label class="param"><span>Battery</span>
      <select value=${state?.battery.status} onChange=${(e: Event) => act(() => sim.battery((e.target as HTMLSelectElement).value))().catch((x: Error) => fail(x.message))} data-test="sim-battery">
        ${BATTERY.map((b) => html`<option value=${b}>${b}</option>`)}
      </select></label>
    <div class="buttons">
      <${ActionButton} label=${state?.button ? 'Release magnet' : 'Hold magnet'} kind=${state?.button ? 'danger' : ''} action=${act(() => sim.button(!state?.button))} onError=${fail} test="sim-button" />
      <${ActionButton} label="Reboot" action=${act(() => sim.reboot())} onError=${fail} test="sim-reboot" />
      <${ActionButton} label="Power cut" action=${act(() => sim.powerCut())} onError=${fail} test="sim-power-cut" />
    </div>
    <p class="hint">Holding the magnet 3–10 s and releasing it opens the pairing window; holding it gives physical presence for programming and emergency access.</p>
    <${NoticeLine} notice=${notice} test="sim-notice" />
    <h3>Device console</h3>
    <pre class="console" data-test="sim-console">${lines.slice(-60).map((l) => `[${(l.t / 1000).toFixed(3).padStart(9)}] ${l.topic}: ${l.text}\n`)}</pre>
  </section>`;
}

/** Keeps the console from the moment the app opens, whichever screen is shown. */
export function recordConsole(sim: SimControl): void {
  sim.onConsole((line) => {
    consoleLines.push(line);
    if (consoleLines.length > 1000) consoleLines.shift();
  });
}
