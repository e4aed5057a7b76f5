// The simulator's control socket (`/control`, bridge protocol v1): the board's button (the
// magnet stand-in), the virtual heart's scenario, the battery, reboot and power cut, and the
// device console as it prints. Only present when the simulator serves the app.
import type { BridgeSocket, SocketFactory } from '../ble/bridge-bluetooth.js';

export interface SimState {
  readonly scenario: string;
  readonly scenarios: readonly string[];
  readonly button: boolean;
  readonly battery: { readonly voltage: number; readonly status: string };
  readonly board: string;
  readonly firmware: string;
  readonly devIdentities: boolean;
}

export interface ConsoleLine {
  readonly t: number;
  readonly topic: string;
  readonly text: string;
}

export class SimControl {
  private ready: Promise<BridgeSocket> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: Record<string, unknown>): void; reject(e: Error): void }>();
  private readonly consoleListeners: ((line: ConsoleLine) => void)[] = [];

  constructor(private readonly url: string, private readonly openSocket: SocketFactory) {}

  onConsole(listener: (line: ConsoleLine) => void): () => void {
    this.consoleListeners.push(listener);
    return () => this.consoleListeners.splice(this.consoleListeners.indexOf(listener) >>> 0, 1);
  }

  state(): Promise<SimState> {
    return this.call('state') as Promise<unknown> as Promise<SimState>;
  }

  button(held: boolean): Promise<unknown> {
    return this.call('button', { held });
  }

  scenario(name: string): Promise<unknown> {
    return this.call('scenario', { name });
  }

  battery(status: string): Promise<unknown> {
    return this.call('battery', { status });
  }

  reboot(): Promise<unknown> {
    return this.call('reboot');
  }

  powerCut(): Promise<unknown> {
    return this.call('power-cut');
  }

  private async call(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const socket = await this.connect();
    const id = this.nextId++;
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, op, ...fields }));
    });
    if (reply.ok === false) throw new Error(`simulator: ${String(reply.error ?? 'refused')}`);
    return reply;
  }

  private connect(): Promise<BridgeSocket> {
    this.ready ??= new Promise((resolve, reject) => {
      const socket = this.openSocket(this.url);
      socket.addEventListener('open', () => resolve(socket));
      socket.addEventListener('message', (event) => this.receive(event.data));
      socket.addEventListener('close', () => {
        this.ready = undefined;
        for (const p of this.pending.values()) p.reject(new Error('simulator control closed'));
        this.pending.clear();
        reject(new Error('simulator control closed'));
      });
    });
    return this.ready;
  }

  private receive(data: unknown): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(String(data)) as Record<string, unknown>;
    } catch {
      return;
    }
    if (m.event === 'console') {
      const line = { t: Number(m.t), topic: String(m.topic), text: String(m.text) };
      for (const l of this.consoleListeners.slice()) l(line);
      return;
    }
    if (typeof m.event === 'string') return;
    const id = typeof m.id === 'number' ? m.id : this.pending.keys().next().value;
    const waiter = id === undefined ? undefined : this.pending.get(id);
    if (!waiter || id === undefined) return;
    this.pending.delete(id);
    waiter.resolve(m);
  }
}
