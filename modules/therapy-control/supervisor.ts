// The main machine's side of therapy: it owns the worker, sends it validated requests, collects
// markers, and watches its heartbeat. If the worker cannot be created, or its heartbeat stops (the
// worker's machine died or hung), it starts the backup pacer at once, whose markers join the same
// stream. Portable: the Worker is injected.
// @req SAF-02 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import type { PaceTimer } from '../therapy/pace-timer.js';
import { BackupPacer } from './backup-pacer.js';
import type { Marker } from '../therapy/markers.js';
import { decodeMarkers, HEARTBEAT_MS, MAX_ID } from '../therapy/protocol.js';
import type { Reply, Request, WorkerEvent } from '../therapy/protocol.js';

/** The part of Moddable's Worker the supervisor uses (typings/web/worker.d.ts). */
export interface WorkerPort {
  onmessage: ((message: unknown) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

/** Main-side I/O the backup pacer takes over once the worker is gone. */
export interface BackupIO {
  /** The pace timer of the pace pins (only V is armed). */
  paceTimer: PaceTimer;
  /** Registers the ventricular sense handler. */
  onVentricularSense(handler: () => void): void;
}

export interface SupervisorOptions {
  clock: Clock;
  /** Creates the therapy machine; throwing (the machine cannot start) starts backup pacing at once. */
  createWorker(): WorkerPort;
  /** Opens the pace and sense pins on the main machine; called only when backup pacing starts. */
  openBackupIO(): BackupIO;
  /** Called once when the worker is declared dead and backup pacing has started. */
  onBackup?(reason: string): void;
  /** Heartbeat silence that declares the worker dead (default 3 heartbeats). */
  timeoutMs?: number;
  /** How long a request may wait for its answer. */
  requestTimeoutMs?: number;
}

export type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** How many streamed markers the main side keeps for the markers command. */
export const MARKER_HISTORY = 512;
/** A watchdog that fires this much later than asked means the main machine was busy, not the worker. */
const LATE_MS = 100;

export class TherapySupervisor {
  private worker: WorkerPort | null = null;
  private backup: BackupPacer | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: Reply) => void; timer: TimerHandle }>();
  private lastHeartbeat = 0;
  private lastV: number | null = null;
  private watchdog: TimerHandle | undefined;
  private watchdogDue = 0;
  private history: Marker[] = [];
  private historySeq = 0;
  private listeners: ((marker: Marker) => void)[] = [];
  private readonly timeoutMs: number;

  constructor(private readonly o: SupervisorOptions) {
    this.timeoutMs = o.timeoutMs ?? 3 * HEARTBEAT_MS;
    let worker: WorkerPort;
    try {
      worker = o.createWorker();
    } catch (error) {
      // As the engine's power-on reset: the first pace comes one interval from now.
      this.lastV = o.clock.now();
      this.startBackup(`the therapy machine did not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.worker = worker;
    // The constructor blocks until the worker's module ran: its silence counts from then.
    this.lastHeartbeat = o.clock.now();
    worker.onmessage = (m) => this.receive(m);
    this.armWatchdog();
  }

  get mode(): 'worker' | 'backup' {
    return this.backup ? 'backup' : 'worker';
  }

  /** Sends one request; resolves with the worker's reply, or an 'unavailable' error in backup or on timeout. */
  request(body: RequestBody): Promise<Reply> {
    const id = this.nextId;
    this.nextId = this.nextId >= MAX_ID ? 1 : this.nextId + 1;
    if (!this.worker) return Promise.resolve(unavailable(id, 'therapy runs on the backup pacer'));
    const worker = this.worker;
    return new Promise<Reply>((resolve) => {
      const timer = this.o.clock.setTimeout(() => {
        this.pending.delete(id);
        resolve(unavailable(id, 'the therapy worker did not answer'));
      }, this.o.requestTimeoutMs ?? 2000);
      this.pending.set(id, { resolve, timer });
      try {
        worker.postMessage({ ...body, id });
      } catch {
        this.settle(unavailable(id, 'the therapy worker refused the message'));
      }
    });
  }

  /** Orderly shutdown (host simulator exit, tests): stops the worker or the backup pacer and all timers. */
  close(): void {
    this.o.clock.clearTimeout(this.watchdog);
    this.backup?.stop();
    try {
      this.worker?.terminate();
    } catch {
      // Already gone.
    }
    this.worker = null;
    for (const [id] of this.pending) this.settle(unavailable(id, 'therapy supervisor closed'));
  }

  /** Calls `listener` with each marker as it arrives (from the worker or the backup pacer); returns an unsubscribe function. */
  onMarker(listener: (marker: Marker) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Streamed markers with sequence numbers at or after `from` (oldest first, at most `max`). */
  markers(from: number, max: number): { seq: number; markers: Marker[] } {
    const first = this.historySeq - this.history.length;
    const start = Math.max(from, first);
    return { seq: start, markers: this.history.slice(start - first, start - first + max) };
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Partial<Reply & WorkerEvent>;
    if ('ev' in m) return this.event(m as WorkerEvent);
    if (typeof m.id === 'number') this.settle(m as Reply);
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    this.o.clock.clearTimeout(p.timer);
    p.resolve(reply);
  }

  private event(e: WorkerEvent): void {
    if (e.ev === 'heartbeat') {
      this.lastHeartbeat = this.o.clock.now();
      this.lastV = typeof e.lastV === 'number' ? e.lastV : null;
      this.armWatchdog();
    } else if (e.ev === 'markers' && Array.isArray(e.pairs)) {
      for (const marker of decodeMarkers(e.pairs)) this.record(marker);
    }
  }

  private record(marker: Marker): void {
    this.history.push(marker);
    this.historySeq++;
    if (this.history.length > MARKER_HISTORY) this.history.shift();
    for (const listener of this.listeners) {
      try {
        listener(marker);
      } catch {
        // A listener's fault must not stop the stream or the watchdog.
      }
    }
  }

  private armWatchdog(): void {
    this.o.clock.clearTimeout(this.watchdog);
    this.watchdogDue = this.lastHeartbeat + this.timeoutMs;
    this.watchdog = this.o.clock.setTimeout(() => this.check(), Math.max(0, this.watchdogDue - this.o.clock.now()));
  }

  private check(): void {
    if (this.o.clock.now() - this.watchdogDue > LATE_MS) {
      // The main machine was busy: let heartbeats already queued arrive before judging the worker.
      this.watchdogDue = this.o.clock.now() + LATE_MS;
      this.watchdog = this.o.clock.setTimeout(() => this.check(), LATE_MS);
      return;
    }
    this.startBackup(`the therapy machine stopped (no heartbeat for ${this.o.clock.now() - this.lastHeartbeat} ms)`);
  }

  private startBackup(reason: string): void {
    if (this.backup) return;
    try {
      this.worker?.terminate();
    } catch {
      // Already gone: nothing left to stop.
    }
    this.worker = null;
    const io = this.o.openBackupIO();
    this.backup = new BackupPacer(this.o.clock, { paceTimer: io.paceTimer, marker: (t, type) => this.record({ t, type }) });
    io.onVentricularSense(() => this.backup?.sense());
    // Interrogations in flight will not be answered now.
    for (const [id] of this.pending) this.settle(unavailable(id, 'the therapy worker stopped'));
    this.backup.start(this.lastV);
    this.o.onBackup?.(reason);
  }
}

function unavailable(id: number, message: string): Reply {
  return { id, ok: false, error: { code: 'unavailable', message } };
}
