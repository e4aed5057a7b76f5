// Where the app runs: served by the simulator (GET ./api/sim answers), it talks to the simulated
// implant over the bridge adapter and offers the simulator's controls and development
// identities; anywhere else it uses the browser's own Web Bluetooth. `?transport=web-bluetooth`
// forces the browser's Bluetooth even under the simulator.
import { BridgeBluetooth } from './ble/bridge-bluetooth.js';
import type { BridgeSocket, SocketFactory } from './ble/bridge-bluetooth.js';
import type { BluetoothLike } from './ble/web-bluetooth.js';
import { developmentIdentities } from './programmer/identities.js';
import type { DevIdentities, Identity } from './programmer/identities.js';
import { crypto } from './programmer/session.js';
import { SimControl } from './sim/control.js';

export interface Environment {
  readonly transport: 'simulator' | 'web-bluetooth' | 'none';
  readonly bluetooth: BluetoothLike | undefined;
  readonly mtu: (() => number) | undefined;
  readonly sim: SimControl | undefined;
  readonly devIdentities: Identity[];
  readonly problem: string | undefined;
}

const openSocket: SocketFactory = (url) => new WebSocket(url) as unknown as BridgeSocket;

async function json(path: string): Promise<unknown> {
  const response = await fetch(new URL(path, location.href), { cache: 'no-store' });
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export async function detectEnvironment(): Promise<Environment> {
  const forced = new URLSearchParams(location.search).get('transport');
  const browserBluetooth = (navigator as unknown as { bluetooth?: BluetoothLike }).bluetooth;
  let simulator = false;
  try {
    await json('./api/sim');
    simulator = true;
  } catch {
    // not served by the simulator
  }
  const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  const sim = simulator ? new SimControl(`${wsBase}/control`, openSocket) : undefined;
  let devIdentities: Identity[] = [];
  let problem: string | undefined;
  if (simulator) {
    try {
      devIdentities = developmentIdentities(crypto, (await json('./api/dev-identities')) as DevIdentities);
    } catch (error) {
      problem = `The simulator's development identities could not be loaded: ${(error as Error).message}`;
    }
  }
  if (simulator && forced !== 'web-bluetooth') {
    const bridge = new BridgeBluetooth(`${wsBase}/bridge`, openSocket);
    return { transport: 'simulator', bluetooth: bridge, mtu: () => bridge.mtu, sim, devIdentities, problem };
  }
  if (browserBluetooth) return { transport: 'web-bluetooth', bluetooth: browserBluetooth, mtu: undefined, sim, devIdentities, problem };
  return {
    transport: 'none', bluetooth: undefined, mtu: undefined, sim, devIdentities,
    problem: problem ?? 'This browser has no Web Bluetooth. Use Chrome or Edge (desktop or Android; on Linux start it with --enable-features=WebBluetooth), or Bluefy on iOS.',
  };
}
