// The app's frame: who the programmer is (identity), the connection to one implant, the tabs of
// the screens, and the DEVELOPMENT KEYS band whenever a development identity is in use.
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { requestImplant } from '../ble/gatt-link.js';
import type { BluetoothDeviceLike } from '../ble/web-bluetooth.js';
import type { Environment } from '../environment.js';
import { emergencyIdentity, patientIdentity } from '../programmer/identities.js';
import type { Identity } from '../programmer/identities.js';
import { KnownDevices } from '../programmer/known-devices.js';
import { crypto, ImplantSession } from '../programmer/session.js';
import { AuditScreen } from './audit.js';
import { NoticeLine } from './common.js';
import type { Notice } from './common.js';
import { DevicesScreen } from './devices.js';
import { ProgramScreen } from './program.js';
import { SimulatorScreen } from './simulator.js';
import { StatusScreen } from './status.js';
import { UpdateScreen } from './update.js';

export type ConnectMode = 'connect' | 'pair' | 'emergency';

export interface Connection {
  readonly session: ImplantSession | undefined;
  /** Opens a session (chooser first if no device is selected yet). */
  open(mode: ConnectMode): Promise<ImplantSession>;
  /** Opens a new session to the same device with the same identity (after a lost link). */
  reopen(): Promise<ImplantSession>;
  close(): void;
}

const TABS = [['devices', 'Devices'], ['status', 'Status'], ['program', 'Program'], ['audit', 'Audit'], ['update', 'Update'], ['simulator', 'Simulator']] as const;
type Tab = (typeof TABS)[number][0];

export function App({ env }: { env: Environment }) {
  const known = useMemo(() => new KnownDevices(localStorage), []);
  const [loaded, setLoaded] = useState<Identity[]>([]);
  const identities = useMemo(() => [patientIdentity(crypto, localStorage), ...env.devIdentities, ...loaded], [loaded]);
  const [identityId, setIdentityId] = useState(localStorage.getItem('implant.identity') ?? identities[0].id);
  const identity = identities.find((i) => i.id === identityId) ?? identities[0];
  const [device, setDevice] = useState<BluetoothDeviceLike>();
  const [session, setSession] = useState<ImplantSession>();
  // Screens keep the connection across renders (an update outlives many): it reads the live session.
  const lastIdentity = useRef<Identity | undefined>(undefined);
  const live = useRef<{ session?: ImplantSession; device?: BluetoothDeviceLike }>({});
  const [tab, setTab] = useState<Tab>('devices');
  const [notice, setNotice] = useState<Notice | undefined>(env.problem ? { kind: 'warn', text: env.problem } : undefined);
  const [devicesVersion, setDevicesVersion] = useState(0);

  useEffect(() => localStorage.setItem('implant.identity', identity.id), [identity.id]);

  const start = async (mode: ConnectMode, chosen: Identity): Promise<ImplantSession> => {
    if (!env.bluetooth) throw new Error(env.problem ?? 'No Bluetooth.');
    const previous = live.current.session;
    live.current.session = undefined; // closed on purpose: no "link lost" notice
    previous?.close();
    const target = live.current.device ?? (await requestImplant(env.bluetooth));
    live.current.device = target;
    setDevice(target);
    lastIdentity.current = chosen;
    const opened = await ImplantSession.open({ device: target, identity: chosen, known, mtu: env.mtu, pair: mode === 'pair' });
    opened.onClosed(() => {
      if (live.current.session !== opened) return;
      live.current.session = undefined;
      setSession(undefined);
      setNotice({ kind: 'warn', text: 'The link to the implant was lost or closed.' });
    });
    live.current.session = opened;
    setSession(opened);
    setDevicesVersion((v) => v + 1);
    setNotice(undefined);
    return opened;
  };

  const connection: Connection = {
    get session() {
      return live.current.session;
    },
    open: (mode) => start(mode, mode === 'emergency' ? emergencyIdentity(crypto) : identity),
    reopen: () => start('connect', live.current.session?.identity ?? lastIdentity.current ?? identity),
    close: () => live.current.session?.close(),
  };

  const role = session?.identity.role;
  const development = (session?.identity ?? identity).development;
  const tabs = TABS.filter(([id]) => id !== 'simulator' || env.sim);
  return html`
    ${development ? html`<div class="devkeys" data-test="devkeys">DEVELOPMENT KEYS — for a simulator or a dev board only</div>` : null}
    <header>
      <h1>Implant programmer</h1>
      <span class=${`link ${session ? 'on' : 'off'}`} data-test="link-state">
        ${session ? `${session.identity.label} · ${session.pattern}` : env.transport === 'simulator' ? 'simulator · not connected' : 'not connected'}
      </span>
    </header>
    <nav role="tablist">
      ${tabs.map(([id, label]) => html`<button role="tab" aria-selected=${tab === id} class=${tab === id ? 'active' : ''} onClick=${() => setTab(id)} data-test=${`tab-${id}`}>${label}</button>`)}
    </nav>
    <main>
      <${NoticeLine} notice=${notice} test="app-notice" />
      <div hidden=${tab !== 'devices'}><${DevicesScreen} env=${env} known=${known} version=${devicesVersion} identities=${identities} identity=${identity}
          onIdentity=${(id: string) => setIdentityId(id)} onLoaded=${(i: Identity) => { setLoaded([...loaded.filter((l) => l.id !== i.id), i]); setIdentityId(i.id); }}
          connection=${connection} device=${device} onForget=${() => { live.current.device = undefined; setDevice(undefined); setDevicesVersion((v) => v + 1); }} onOpened=${() => setTab('status')} /></div>
      <div hidden=${tab !== 'status'}><${StatusScreen} connection=${connection} role=${role} active=${tab === 'status'} /></div>
      <div hidden=${tab !== 'program'}><${ProgramScreen} connection=${connection} role=${role} /></div>
      <div hidden=${tab !== 'audit'}><${AuditScreen} connection=${connection} role=${role} /></div>
      <div hidden=${tab !== 'update'}><${UpdateScreen} connection=${connection} role=${role} /></div>
      ${env.sim ? html`<div hidden=${tab !== 'simulator'}><${SimulatorScreen} sim=${env.sim} /></div>` : null}
    </main>`;
}
