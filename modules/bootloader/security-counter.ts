// The anti-rollback counter (as MCUboot's hardware security counter): storage keeps it in two
// power-safe copies that never go backwards; the update raises it only after a confirm.
// @req SEC-11 (docs/traceability.md)
import type { Counters } from '../storage/counters.js';

export interface SecurityCounter {
  read(): number;
  /** Raises the counter to `value`; at or below the current value it changes nothing. */
  raise(value: number): void;
}

export function securityCounterFrom(counters: Pick<Counters, 'get' | 'raise'>): SecurityCounter {
  return {
    read: () => counters.get('security'),
    raise: (value) => void counters.raise('security', value),
  };
}
