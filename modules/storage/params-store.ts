// Therapy parameters at rest: opaque bytes, sealed, validated on load by the therapy module's
// own codec. Anything that does not come back whole and valid yields the codec's safe defaults,
// never a guess.
// @req SAF-07 (docs/traceability.md)
import { StorageError } from './errors.js';
import { RecordKeys } from './record-keys.js';
import type { RecordStore } from './record-store.js';
import type { Sealer } from './sealer.js';

/** Supplied by the therapy module, which alone knows what a valid parameter set is. */
export interface ParamsCodec<T> {
  encode(value: T): Uint8Array;
  /** The decoded, range-checked value, or undefined when the bytes are not a valid set. */
  decode(bytes: Uint8Array): T | undefined;
  /** The safe defaults used whenever nothing valid is stored. */
  defaults(): T;
}

export type ParamsSource = 'stored' | 'defaults';
/** Why defaults were used: nothing stored yet, bytes damaged, seal broken, or rejected by the codec. */
export type ParamsProblem = 'missing' | 'corrupt' | 'unsealed' | 'invalid';

export interface LoadedParams<T> {
  value: T;
  source: ParamsSource;
  problem?: ParamsProblem;
}

export class ParamsStore<T> {
  constructor(
    private readonly store: RecordStore,
    private readonly sealer: Sealer,
    private readonly codec: ParamsCodec<T>,
    private readonly key: number = RecordKeys.params,
  ) {}

  load(): LoadedParams<T> {
    const fallback = (problem: ParamsProblem): LoadedParams<T> => ({ value: this.codec.defaults(), source: 'defaults', problem });
    let sealed: Uint8Array | undefined;
    let bytes: Uint8Array;
    try {
      sealed = this.store.get(this.key);
      if (!sealed) return fallback('missing');
      bytes = this.sealer.open(this.key, sealed);
    } catch (error) {
      if (error instanceof StorageError && (error.code === 'corrupt' || error.code === 'unsealed')) return fallback(error.code);
      throw error;
    }
    const value = this.codec.decode(bytes);
    return value === undefined ? fallback('invalid') : { value, source: 'stored' };
  }

  /** Stores a parameter set the codec accepts back; throws 'invalid' (and stores nothing) otherwise. */
  save(value: T): void {
    const bytes = this.codec.encode(value);
    if (this.codec.decode(bytes) === undefined) throw new StorageError('invalid', 'the codec rejects its own encoding of these parameters');
    this.store.put(this.key, this.sealer.seal(this.key, bytes));
  }
}
