// Monotonic counters that never go backwards across a power cut: each value is written as two
// records (copy A, then copy B) and read as the larger valid copy. A cut between the two writes
// leaves A new and B old; a flipped bit in one copy is outvoted by the other and repaired.
import { readU32LE, writeU32LE } from '../core/bytes.js';
import { StorageError } from './errors.js';
import { RecordKeys } from './record-keys.js';
import type { RecordStore } from './record-store.js';

/**
 * The counters, by stable id (the id is part of the on-flash key: never renumber).
 * - security: anti-rollback counter of the installed firmware (raised at OTA confirm).
 * - boot: boots so far.
 * - lockout / lockoutCleared: failed authentications, and the failure count at the last success;
 *   their difference is the current run of failures, kept with two counters that only rise.
 * - session: epoch for secure-channel nonces, raised once per boot before the radio starts.
 * - clock: the device clock's floor (ms since the Unix epoch), so time never runs backwards.
 * - operatingTime, resets, resetAt0..2, safeModeLatch, safeModeClear: the therapy reset history
 *   and the safe-mode latch (modules/therapy-control/reset-history.ts).
 * - trustSequence: sequence of the last trust update applied (modules/access/storage-ports.ts).
 */
export const COUNTER_IDS = Object.freeze({
  security: 1,
  boot: 2,
  lockout: 3,
  lockoutCleared: 4,
  session: 5,
  clock: 6,
  operatingTime: 7,
  resets: 8,
  resetAt0: 9,
  resetAt1: 10,
  resetAt2: 11,
  safeModeLatch: 12,
  safeModeClear: 13,
  trustSequence: 14,
});

export type CounterName = keyof typeof COUNTER_IDS;

const VALUE_BYTES = 8;

export class Counters {
  private readonly values: Map<CounterName, number>;

  /** Reads every counter, rewriting a copy that is behind (after a cut or a bit flip). */
  constructor(private readonly store: RecordStore) {
    this.values = new Map();
    for (const name of Object.keys(COUNTER_IDS) as CounterName[]) {
      const id = COUNTER_IDS[name];
      const a = readCopy(store, RecordKeys.counterA + id);
      const b = readCopy(store, RecordKeys.counterB + id);
      const value = Math.max(a ?? 0, b ?? 0);
      this.values.set(name, value);
      if (value > 0 && (a !== value || b !== value)) this.repair(id, value);
    }
  }

  get(name: CounterName): number {
    const value = this.values.get(name);
    if (value === undefined) throw new StorageError('invalid', `unknown counter ${String(name)}`);
    return value;
  }

  /**
   * Raises `name` to `value`; a value at or below the current one changes nothing. Returns the
   * counter's value afterwards; once this returns it survives any power cut.
   */
  raise(name: CounterName, value: number): number {
    const current = this.get(name);
    if (!Number.isSafeInteger(value) || value < 0) throw new StorageError('invalid', `counter value ${value} is not a non-negative safe integer`);
    if (value <= current) return current;
    this.writeCopies(COUNTER_IDS[name], value);
    this.values.set(name, value);
    return value;
  }

  increment(name: CounterName): number {
    return this.raise(name, this.get(name) + 1);
  }

  /** Rewrites both copies at boot; a store too full to take them must not stop the boot. */
  private repair(id: number, value: number): void {
    try {
      this.writeCopies(id, value);
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
    }
  }

  private writeCopies(id: number, value: number): void {
    // u64 little-endian (values stay below 2^53).
    const bytes = new Uint8Array(VALUE_BYTES);
    writeU32LE(bytes, 0, value % 0x100000000);
    writeU32LE(bytes, 4, Math.floor(value / 0x100000000));
    this.store.put(RecordKeys.counterA + id, bytes);
    this.store.put(RecordKeys.counterB + id, bytes);
  }
}

function readCopy(store: RecordStore, key: number): number | undefined {
  let bytes: Uint8Array | undefined;
  try {
    bytes = store.get(key);
  } catch (error) {
    if (error instanceof StorageError) return undefined;
    throw error;
  }
  if (!bytes || bytes.length !== VALUE_BYTES) return undefined;
  const value = readU32LE(bytes, 4) * 0x100000000 + readU32LE(bytes, 0);
  return Number.isSafeInteger(value) ? value : undefined;
}
