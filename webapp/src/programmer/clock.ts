// The page's clock for the portable client: performance.now() and the window's timers.
import type { Clock, TimerHandle } from '../../../modules/core/clock.js';

export const pageClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs) as unknown as TimerHandle,
  clearTimeout: (handle) => {
    if (handle !== undefined) clearTimeout(handle as unknown as ReturnType<typeof setTimeout>);
  },
};
