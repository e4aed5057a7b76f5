// The CLI's end of the simulator bridge (docs/bridge.md): a WebSocket to /bridge that carries
// GATT operations (a GattPort for host/bridge/gatt-link.ts), and one to /control for the
// simulator's button and console. Replies match requests by id; a closed socket fails every
// waiting request and reports the link lost, as a phone walking out of range.
import WebSocket from 'ws';
import { BridgeError } from '../../../host/bridge/gatt-link.js';
import type { GattCall, GattPort } from '../../../host/bridge/gatt-link.js';
import type { ConsoleEventFrame, GattEvent } from '../../../host/bridge/protocol.js';

/** The simulator could not be reached, or the socket closed under a request. */
export class SimUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimUnreachable';
  }
}

interface Waiter {
  resolve(fields: Record<string, unknown>): void;
  reject(error: Error): void;
}

/** ws://HOST:PORT (or with a path) to the base URL of the simulator. */
export function simBase(url: string): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new BridgeError(`--sim must be a ws:// URL, got "${url}"`);
  }
  if (base.protocol !== 'ws:') throw new BridgeError(`--sim must be a ws:// URL, got "${url}"`);
  return new URL(`${base.protocol}//${base.host}/`);
}

class Socket {
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private closedWith: string | undefined;

  private constructor(private readonly ws: WebSocket, protected readonly onFrame: (frame: Record<string, unknown>) => void) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (typeof frame.id === 'number' && 'ok' in frame) return this.answer(frame);
      onFrame(frame);
    });
    ws.on('close', (code, reason) => this.closed(`the simulator closed the socket (${code}${reason.length ? ` ${reason}` : ''})`));
  }

  static open(url: URL, onFrame: (frame: Record<string, unknown>) => void, onClose: (why: string) => void): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        const socket = new Socket(ws, onFrame);
        ws.on('close', () => onClose(socket.closedWith ?? 'closed'));
        resolve(socket);
      });
      ws.once('error', (error) => reject(new SimUnreachable(`cannot reach the simulator at ${url.href}: ${error.message}`)));
    });
  }

  call(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.closedWith) return Promise.reject(new SimUnreachable(this.closedWith));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, ...request }));
    });
  }

  close(): void {
    this.ws.close(1000);
  }

  private answer(frame: Record<string, unknown>): void {
    const waiter = this.waiting.get(frame.id as number);
    this.waiting.delete(frame.id as number);
    if (!waiter) return;
    const { id: _id, ok, error, ...fields } = frame;
    if (ok === true) waiter.resolve(fields);
    else waiter.reject(new BridgeError(String(error)));
  }

  private closed(why: string): void {
    this.closedWith ??= why;
    for (const waiter of this.waiting.values()) waiter.reject(new SimUnreachable(why));
    this.waiting.clear();
  }
}

/** /bridge: GATT operations for one central. */
export class BridgeSocket implements GattPort {
  private listener: ((event: GattEvent) => void) | undefined;

  private constructor(private readonly socket: Socket) {}

  static async open(sim: string): Promise<BridgeSocket> {
    let self: BridgeSocket | undefined;
    const socket = await Socket.open(new URL('bridge', simBase(sim)), (frame) => self?.listener?.(frame as unknown as GattEvent), (why) => {
      self?.listener?.({ event: 'disconnected', reason: why });
    });
    self = new BridgeSocket(socket);
    return self;
  }

  call(request: GattCall): Promise<Record<string, unknown>> {
    return this.socket.call(request as unknown as Record<string, unknown>);
  }

  onEvent(listener: (event: GattEvent) => void): void {
    this.listener = listener;
  }

  /** Closes the socket: the simulator drops the central's link (out of range). */
  close(): void {
    this.socket.close();
  }
}

/** /control: the simulator's button and its console. */
export class ControlSocket {
  private readonly listeners = new Set<(event: ConsoleEventFrame) => void>();

  private constructor(private readonly socket: Socket) {}

  static async open(sim: string): Promise<ControlSocket> {
    let self: ControlSocket | undefined;
    const socket = await Socket.open(new URL('control', simBase(sim)), (frame) => {
      if (frame.event === 'console') for (const l of self?.listeners ?? []) l(frame as unknown as ConsoleEventFrame);
    }, () => {});
    self = new ControlSocket(socket);
    return self;
  }

  request(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.socket.call({ op, ...fields });
  }

  onConsole(listener: (event: ConsoleEventFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.close();
  }
}
