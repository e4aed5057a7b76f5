// Firmware update (manufacturer): choose a signed package, send it with a progress bar, pause
// and resume (the implant keeps what it committed; a lost link resumes by itself), then watch
// the trial boot: the implant restarts into the new image, runs its therapy self-test and
// confirms it, or reverts to the old one.
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { decodeSign1 } from '../../../modules/core/cose.js';
import { decodeManifest, versionText } from '../../../modules/bootloader/manifest.js';
import type { Version } from '../../../modules/bootloader/manifest.js';
import { splitPackage } from '../../../modules/bootloader/package.js';
import { sendUpdate } from '../../../programmer/ota-client.js';
import type { OtaLink, OtaProgress } from '../../../programmer/ota-client.js';
import { explainStatus } from '../programmer/explain.js';
import type { RoleName } from '../programmer/identities.js';
import type { ImplantSession } from '../programmer/session.js';
import type { Connection } from './app.js';
import { ActionButton, field, NoticeLine } from './common.js';
import type { Notice } from './common.js';

interface Package {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly version: string;
  readonly size: number;
}

type Phase = 'ready' | 'sending' | 'paused' | 'restarting' | 'trial' | 'confirmed' | 'reverted' | 'failed';

class Paused extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readPackage(name: string, bytes: Uint8Array): Package {
  const { manifestBytes, image } = splitPackage(bytes);
  const manifest = decodeManifest(decodeSign1(manifestBytes).payload);
  return { name, bytes, version: versionText(manifest.version), size: image.length };
}

/** Reconnects, a few times: after a drop or a restart the implant advertises again within seconds. */
async function reconnect(connection: Connection, attempts: number): Promise<ImplantSession> {
  for (let i = 1; ; i++) {
    try {
      return await connection.reopen();
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(1000);
    }
  }
}

export function UpdateScreen({ connection, role }: { connection: Connection; role: RoleName | undefined }) {
  const [pkg, setPkg] = useState<Package>();
  const [phase, setPhase] = useState<Phase>('ready');
  const [progress, setProgress] = useState<OtaProgress>();
  const [speed, setSpeed] = useState<number>();
  const [notice, setNotice] = useState<Notice>();
  const paused = useRef(false);
  if (!connection.session && phase === 'ready') return html`<section class="card"><p>Not connected. Connect on the Devices tab.</p></section>`;
  if (role !== undefined && role !== 'manufacturer' && phase === 'ready') return html`<section class="card"><h2>Firmware update</h2><p class="notice warn" data-test="update-role">Only a manufacturer programmer may update the firmware. Choose a manufacturer identity on the Devices tab.</p></section>`;

  const choose = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      setPkg(readPackage(file.name, new Uint8Array(await file.arrayBuffer())));
      setPhase('ready');
      setProgress(undefined);
      setNotice(undefined);
    } catch (error) {
      setNotice({ kind: 'error', text: `This file is not an update package: ${(error as Error).message}` });
    }
  };

  const watchTrial = async (target: string) => {
    setPhase('restarting');
    await sleep(1500);
    for (let i = 0; i < 90; i++) {
      try {
        const session = connection.session?.isOpen ? connection.session : await reconnect(connection, 3);
        const status = await session.call('ota.status');
        const running = versionText(field(status, 'running') as Version);
        if (field(status, 'state') === 'trial') setPhase('trial');
        else {
          setPhase(running === target ? 'confirmed' : 'reverted');
          setNotice(running === target ? { kind: 'ok', text: `Firmware ${target} passed its self-test and is confirmed.` } : { kind: 'error', text: `The implant reverted: it runs ${running}.` });
          return;
        }
      } catch {
        // restarting: try again
      }
      await sleep(1000);
    }
    setPhase('failed');
    setNotice({ kind: 'error', text: 'The implant did not come back after the restart.' });
  };

  const send = async () => {
    if (!pkg) throw new Error('Choose an update package first.');
    paused.current = false;
    setPhase('sending');
    let started = performance.now();
    let startBytes: number | undefined;
    let first = true;
    try {
      await sendUpdate(pkg.bytes, {
        connect: async (): Promise<OtaLink> => {
          if (paused.current) throw new Paused();
          const current = connection.session;
          if (first && current?.isOpen) {
            first = false;
            return current.client;
          }
          first = false;
          current?.close();
          const s = await reconnect(connection, 10);
          return s.client;
        },
        onProgress: (p) => {
          setProgress(p);
          if (startBytes === undefined) {
            startBytes = p.committed;
            started = performance.now();
          } else if (performance.now() > started) setSpeed(((p.committed - startBytes) * 1000) / (performance.now() - started));
        },
      });
    } catch (error) {
      if (error instanceof Paused) {
        setPhase('paused');
        setNotice({ kind: 'info', text: 'Paused. The implant keeps what it received; Resume continues from there.' });
        return;
      }
      setPhase('failed');
      const status = (error as { status?: number }).status;
      throw new Error(typeof status === 'number' ? explainStatus(status) : (error as Error).message);
    }
    setNotice({ kind: 'info', text: 'Sent and activated: the implant restarts into the new firmware on trial.' });
    await watchTrial(pkg.version);
  };

  const pause = () => {
    paused.current = true;
    connection.session?.close();
  };

  const pct = progress ? Math.floor((100 * progress.committed) / progress.size) : 0;
  const fail = (text: string) => setNotice({ kind: 'error', text });
  return html`<section class="card">
    <h2>Firmware update</h2>
    <label>Signed update package (<code>implant sign</code>)<input type="file" accept=".pkg,.bin" onChange=${choose} data-test="update-file" /></label>
    ${pkg ? html`<p data-test="update-package">${pkg.name}: version <b>${pkg.version}</b>, ${pkg.size.toLocaleString()} bytes</p>` : null}
    <progress max="100" value=${pct} data-test="update-progress"></progress>
    <p data-test="update-state">${phase}${progress ? ` · ${pct}% (${progress.committed.toLocaleString()} / ${progress.size.toLocaleString()} B)` : ''}${progress?.resumes ? ` · resumed ${progress.resumes}×` : ''}${speed ? ` · ${(speed / 1024).toFixed(1)} KiB/s` : ''}</p>
    <div class="buttons">
      ${phase === 'ready' || phase === 'failed' ? html`<${ActionButton} label="Send update" kind="primary" action=${send} onError=${fail} disabled=${!pkg} test="update-send" />` : null}
      ${phase === 'sending' ? html`<button onClick=${pause} data-test="update-pause">Pause</button>` : null}
      ${phase === 'paused' ? html`<${ActionButton} label="Resume" kind="primary" action=${send} onError=${fail} test="update-resume" />` : null}
    </div>
    <p class="hint">Starting and activating an update need the magnet held (physical presence). After activation the implant restarts on trial and confirms the new firmware only if its therapy self-test passes.</p>
    <${NoticeLine} notice=${notice} test="update-notice" />
  </section>`;
}
