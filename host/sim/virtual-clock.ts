// A deterministic clock for tests and simulations: time moves only when the test advances it,
// and callbacks due at the same millisecond run in the order they were scheduled. Two lanes:
// software callbacks (the machines' timers, pin callbacks) and hardware callbacks (peripherals
// such as the pace timer, the heart). A stalled CPU (skip) runs only the hardware lane on time;
// the software callbacks due meanwhile run late, after it.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';

interface Entry extends TimerHandle {
  due: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
  /** The machine whose callback it is (lane()), if any. */
  lane: string | undefined;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private heap: Entry[] = [];
  private hardware: Entry[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.schedule(this.heap, callback, delayMs);
  }

  /** One machine's view of the clock: its callbacks carry `name`, so runLane can run them alone. */
  lane(name: string): Clock {
    return {
      now: () => this.time,
      setTimeout: (callback, delayMs) => this.schedule(this.heap, callback, delayMs, name),
      clearTimeout: (handle) => this.clearTimeout(handle),
    };
  }

  /**
   * Runs now the callbacks of lane `name` that are due, in order, leaving every other software
   * callback waiting: a higher-priority task preempting the running one (the therapy machine
   * between two flash operations of the main machine).
   */
  runLane(name: string): void {
    for (;;) {
      const due = this.heap.filter((e) => e.lane === name && !e.cancelled && e.due <= this.time);
      if (!due.length) return;
      const first = due.reduce((a, b) => (this.less(a, b) ? a : b));
      first.cancelled = true; // taken out of the queue; it is dropped there later
      first.callback();
    }
  }

  /** A peripheral's event: it happens on time even while the CPU is stalled. It must run no machine's JavaScript (post to setTimeout for that). */
  setHardwareTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.schedule(this.hardware, callback, delayMs);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) (handle as Entry).cancelled = true;
  }

  /** Number of callbacks still scheduled. */
  get pending(): number {
    return this.heap.filter((e) => !e.cancelled).length + this.hardware.filter((e) => !e.cancelled).length;
  }

  /** Time of the next scheduled callback, or undefined when none is pending. */
  nextDue(): number | undefined {
    return this.head()?.due;
  }

  /** Runs every callback due up to and including `time`, in order over both lanes, then sets the clock to `time`. */
  runUntil(time: number): void {
    this.runDue(time, () => this.head());
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /**
   * A stalled CPU (a busy-wait, a flash erase): time moves forward and only hardware callbacks
   * run, each at its time; software callbacks due meanwhile run late, at the next runUntil.
   */
  skip(ms: number): void {
    const end = this.time + Math.max(0, ms);
    this.runDue(end, () => {
      this.dropCancelled(this.hardware);
      return this.hardware[0];
    });
    this.time = end;
  }

  /** Runs, in order, each callback `next` gives while it is due by `until`. */
  private runDue(until: number, next: () => Entry | undefined): void {
    for (;;) {
      const head = next();
      if (!head || head.due > until) return;
      this.pop(head === this.hardware[0] ? this.hardware : this.heap);
      this.time = Math.max(this.time, head.due);
      head.callback();
    }
  }

  private schedule(heap: Entry[], callback: () => void, delayMs: number, lane?: string): TimerHandle {
    if (!(delayMs >= 0)) delayMs = 0;
    const entry: Entry = { __timerHandle: true, due: this.time + delayMs, seq: this.seq++, callback, cancelled: false, lane };
    this.push(heap, entry);
    return entry;
  }

  /** The earliest live entry of either lane. */
  private head(): Entry | undefined {
    this.dropCancelled(this.heap);
    this.dropCancelled(this.hardware);
    const [s, h] = [this.heap[0], this.hardware[0]];
    if (!s || !h) return s ?? h;
    return this.less(h, s) ? h : s;
  }

  private dropCancelled(heap: Entry[]): void {
    while (heap.length && heap[0].cancelled) this.pop(heap);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(h: Entry[], entry: Entry): void {
    h.push(entry);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(h: Entry[]): Entry {
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
