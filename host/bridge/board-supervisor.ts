// The simulator's hold on the simulated board: runs the firmware in a child process (the board),
// boots it again when the firmware restarts, the reset button is pressed or the power comes back
// after a cut, and keeps the physical world (button, battery, heart scenario) across those reboots.
// GATT operations go to the board in order and come back in order; one central at a time.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { parseConsoleLine } from '../console-line.js';
import { RESTART_EXIT_CODE } from './board-messages.js';
import type { BoardInputs, FromBoard, ToBoard } from './board-messages.js';
import { BridgeError } from './gatt-link.js';
import type { GattCall, GattPort } from './gatt-link.js';
import type { ConsoleEventFrame, GattEvent, Reply } from './protocol.js';

/** How long the power stays off after a cut before the board boots again. */
const POWER_OFF_MS = 300;
/** A crash this soon after boot, CRASH_LOOP times in a row, is a crash loop: no more reboots. */
const CRASH_LOOP_MS = 10_000;
const CRASH_LOOP = 3;

export interface BoardOptions {
  /** The module and arguments that boot the board (`implant run --board ...`). */
  readonly module: string;
  readonly args: (boot: number) => string[];
  readonly inputs: BoardInputs;
  /** Raw console text of the firmware, as it arrives. */
  readonly onTrace: (text: string) => void;
  /** The board crashed and is booted again, as a device's panic handler resets it. */
  readonly onCrash: (description: string) => void;
  /** The board keeps crashing at boot: the simulator stops. */
  readonly onFault: (description: string) => void;
}

interface Pending {
  readonly op: string;
  resolve(reply: Reply): void;
}

export class BoardSupervisor {
  readonly inputs: BoardInputs;
  /** Boots so far (the first is 1). */
  boots = 0;
  private child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private partial = '';
  private gattListener: ((event: GattEvent) => void) | undefined;
  private readonly consoleListeners = new Set<(event: ConsoleEventFrame) => void>();
  private centralConnected = false;
  private stopping: (() => void) | undefined;
  private powerCut = false;
  private bootedAt = 0;
  private quickCrashes = 0;

  constructor(private readonly options: BoardOptions) {
    this.inputs = { ...options.inputs };
  }

  start(): void {
    this.boots++;
    this.bootedAt = Date.now();
    const child = fork(this.options.module, this.options.args(this.boots), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    child.on('message', (message: FromBoard) => this.receive(message));
    child.on('exit', (code, signal) => this.exited(child, code, signal));
    this.send({ kind: 'inputs', inputs: this.inputs });
  }

  get booted(): boolean {
    return this.child !== undefined;
  }

  get connected(): boolean {
    return this.centralConnected;
  }

  /** Sets part of the physical world; the board sees it at once (and again after each reboot). */
  setInputs(change: Partial<BoardInputs>): void {
    Object.assign(this.inputs, change);
    this.send({ kind: 'inputs', inputs: this.inputs });
  }

  /** One GATT operation on the board's radio; answered ok:false while the board is off. */
  gatt(call: GattCall, id: number): Promise<Reply> {
    if (!this.child) return Promise.resolve({ id, ok: false, error: 'the device is off (rebooting)' });
    const own = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(own, { op: call.op, resolve: (reply) => resolve({ ...reply, id }) });
      this.send({ kind: 'gatt', request: { ...call, id: own } as never });
    });
  }

  /** Who hears notifications and link loss (the socket that owns the central). */
  onGattEvent(listener: ((event: GattEvent) => void) | undefined): void {
    this.gattListener = listener;
  }

  onConsole(listener: (event: ConsoleEventFrame) => void): () => void {
    this.consoleListeners.add(listener);
    return () => this.consoleListeners.delete(listener);
  }

  /** An in-process GATT port (the simulator's own factory programmer). */
  port(): GattPort {
    return {
      call: async (request) => {
        const reply = await this.gatt(request, 0);
        if (!reply.ok) throw new BridgeError(reply.error);
        const { id: _id, ok: _ok, ...fields } = reply;
        return fields;
      },
      onEvent: (listener) => this.onGattEvent(listener),
    };
  }

  reboot(): void {
    this.send({ kind: 'reboot' });
  }

  cutPower(): void {
    this.powerCut = true;
    this.send({ kind: 'power-cut' });
  }

  /** Saves the flash and stops the board (Ctrl-C); resolves once it has gone. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      this.stopping = resolve;
      this.send({ kind: 'stop' });
    });
  }

  private send(message: ToBoard): void {
    if (this.child?.connected) this.child.send(message);
  }

  private receive(message: FromBoard): void {
    switch (message.kind) {
      case 'trace':
        this.options.onTrace(message.text);
        return this.consoleLines(message.text);
      case 'gatt-reply': {
        const waiter = this.pending.get(message.reply.id);
        this.pending.delete(message.reply.id);
        if (message.reply.ok && waiter?.op === 'connect') this.centralConnected = true;
        return waiter?.resolve(message.reply);
      }
      case 'gatt-event':
        if (message.event.event === 'disconnected') this.centralConnected = false;
        return this.gattListener?.(message.event);
    }
  }

  private consoleLines(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) {
      const parsed = parseConsoleLine(line);
      const frame: ConsoleEventFrame = parsed ? { event: 'console', t: parsed.t, topic: parsed.topic, text: parsed.text } : { event: 'console', t: null, topic: 'trace', text: line };
      for (const listener of this.consoleListeners) listener(frame);
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.partial = '';
    for (const [, waiter] of this.pending) waiter.resolve({ id: 0, ok: false, error: 'the device restarted' });
    this.pending.clear();
    if (this.centralConnected) {
      this.centralConnected = false;
      this.gattListener?.({ event: 'disconnected', reason: 'the device restarted' });
    }
    if (this.stopping) return this.stopping();
    if (code === RESTART_EXIT_CODE) {
      this.quickCrashes = 0;
      return this.start();
    }
    if (this.powerCut && signal === 'SIGKILL') {
      this.powerCut = false;
      this.quickCrashes = 0;
      setTimeout(() => this.start(), POWER_OFF_MS);
      return;
    }
    const how = `the simulated board crashed (${signal ?? `exit code ${code}`})`;
    this.quickCrashes = Date.now() - this.bootedAt < CRASH_LOOP_MS ? this.quickCrashes + 1 : 1;
    if (this.quickCrashes >= CRASH_LOOP) return this.options.onFault(`${how}, ${CRASH_LOOP} times within ${CRASH_LOOP_MS / 1000} s of booting: stopping`);
    this.options.onCrash(`${how}: booting it again, as a device's panic reset would`);
    this.start();
  }
}
