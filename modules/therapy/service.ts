// The therapy machine's side of the protocol: validates each request (protocol.ts), runs it on
// the Therapy, answers, and posts markers and a heartbeat every HEARTBEAT_MS. Portable: the device
// worker (device-worker.ts) and host tests wire it to `self.postMessage` and a clock.
import type { Clock, TimerHandle } from '../core/clock.js';
import type { MarkerType } from './markers.js';
import { HEARTBEAT_MS, isProtocolError, markerIndex, parseRequest } from './protocol.js';
import type { Reply, Request, WorkerEvent } from './protocol.js';
import { Therapy } from './therapy.js';
import type { PaceOutput, TherapyOptions, TherapyResult } from './therapy.js';

const OK: TherapyResult<unknown> = Object.freeze({ ok: true, value: undefined });

/** Markers kept for the stream between heartbeats; older ones are dropped (and counted) if the main side lags. */
const MARKER_BUFFER_PAIRS = 64;

export class TherapyService {
  readonly therapy: Therapy;
  /** Markers stream from boot, so the main side sees the POR that started this machine. */
  private streaming = true;
  /** At ERT and ERP the battery-status table (§4.4, Table 3) disables markers. */
  private lowBattery = false;
  private pairs: number[] = [];
  private seq = 0;
  private dropped = 0;
  private heartbeat: TimerHandle | undefined;
  private silent = false;

  constructor(
    private readonly clock: Clock,
    io: PaceOutput,
    private readonly post: (message: Reply | WorkerEvent) => void,
    options: TherapyOptions = {},
  ) {
    // If therapy cannot run at all, stop the heartbeat: the main machine's backup pacer takes over.
    this.therapy = new Therapy(clock, { ...io, marker: (t, type) => this.marker(t, type) }, {
      ...options,
      onFatal: (reason) => {
        this.silent = true;
        this.stop();
        options.onFatal?.(reason);
      },
    });
    this.beat();
  }

  /** Handles one message from the main machine; never throws on bad input. */
  handle(message: unknown): void {
    const request = parseRequest(message);
    if (isProtocolError(request)) {
      this.post({ id: request.id ?? 0, ok: false, error: request.error });
      return;
    }
    const result = this.run(request);
    this.post(result.ok ? { id: request.id, ok: true, result: result.value } : { id: request.id, ok: false, error: result.error });
  }

  private run(r: Request): TherapyResult<unknown> {
    const t = this.therapy;
    switch (r.op) {
      case 'interrogate': return { ok: true, value: { ...t.interrogate(), markersDropped: this.dropped } };
      case 'program': return t.program(r.target, r.changes);
      case 'restore': return t.restore(r.params, r.checksum);
      case 'end-temporary': return t.endTemporary();
      case 'session-ended':
        t.sessionEnded();
        return OK;
      case 'pace-now': return t.paceNow();
      case 'clear-safe-mode': return t.clearSafeMode();
      case 'reset-history': return t.resetHistory(r.prior, r.latched);
      case 'reset-counters':
        t.resetCounters();
        return OK;
      case 'markers':
        this.streaming = r.on;
        if (!r.on) this.pairs = [];
        return OK;
      case 'magnet':
        t.setMagnet(r.present);
        return OK;
      case 'battery':
        t.setBattery(r.level);
        this.lowBattery = r.level === 'ERT' || r.level === 'ERP';
        if (this.lowBattery) this.pairs = [];
        return OK;
      case 'activity':
        t.setActivity(r.level);
        return OK;
    }
  }

  private marker(t: number, type: MarkerType): void {
    this.seq++;
    if (!this.streaming || this.lowBattery) return;
    if (this.pairs.length >= MARKER_BUFFER_PAIRS * 2) {
      this.pairs.splice(0, 2);
      this.dropped++;
    }
    this.pairs.push(t, markerIndex(type));
  }

  private beat(): void {
    if (this.silent) return;
    this.heartbeat = this.clock.setTimeout(() => this.beat(), HEARTBEAT_MS);
    if (this.pairs.length) {
      const pairs = this.pairs;
      this.pairs = [];
      this.post({ ev: 'markers', seq: this.seq - pairs.length / 2, pairs });
    }
    this.post({ ev: 'heartbeat', t: this.clock.now(), lastV: this.therapy.lastVentricularEvent() ?? null });
  }

  stop(): void {
    this.clock.clearTimeout(this.heartbeat);
  }
}
