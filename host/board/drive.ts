// Driving a simulated board's virtual clock from a test or a tool: the firmware's replies
// settle on promises, so the clock advances in steps with the event loop let through in between.
import type { VirtualClock } from '../sim/virtual-clock.js';

/** Lets pending promise callbacks (and the macrotasks they queue) run. */
export async function yieldTurns(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs the virtual clock for `ms` in steps of `step`, letting promises settle between steps. */
export async function run(clock: VirtualClock, ms: number, step = 10): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    clock.advance(Math.min(step, end - clock.now()));
    await yieldTurns();
  }
}

/** Awaits `promise` while the virtual clock runs (device replies may wait on timers). */
export async function settle<T>(clock: VirtualClock, promise: Promise<T>, limitMs = 10_000): Promise<T> {
  let done = false;
  const watched = promise.finally(() => void (done = true));
  // Handled here so a rejection while the clock runs is not reported as unhandled; the caller still gets it.
  watched.catch(() => {});
  for (let t = 0; !done && t < limitMs; t += 10) await run(clock, 10);
  return watched;
}
