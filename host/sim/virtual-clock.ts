// A deterministic clock for tests and simulations: time moves only when the test advances it,
// and callbacks due at the same millisecond run in the order they were scheduled.
import type { Clock, TimerHandle } from '../../modules/core/clock.js';

interface Entry extends TimerHandle {
  due: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private heap: Entry[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    if (!(delayMs >= 0)) delayMs = 0;
    const entry: Entry = { __timerHandle: true, due: this.time + delayMs, seq: this.seq++, callback, cancelled: false };
    this.push(entry);
    return entry;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) (handle as Entry).cancelled = true;
  }

  /** Number of callbacks still scheduled. */
  get pending(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  /** Time of the next scheduled callback, or undefined when none is pending. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.due;
  }

  /** Runs every callback due up to and including `time`, then sets the clock to `time`. */
  runUntil(time: number): void {
    for (;;) {
      this.dropCancelled();
      const head = this.heap[0];
      if (!head || head.due > time) break;
      this.pop();
      this.time = Math.max(this.time, head.due);
      head.callback();
    }
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** Moves time forward without running callbacks, as a busy-wait does; they run late, at the next runUntil. */
  skip(ms: number): void {
    this.time += Math.max(0, ms);
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Entry {
    const h = this.heap;
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
