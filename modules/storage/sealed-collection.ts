// A bounded set of sealed items addressed by a short id (bonds by peer key id, secret keys by
// name): each item sits in its own numbered record, so adding or removing one is one write.
import { equalBytes } from '../core/bytes.js';
import { StorageError } from './errors.js';
import type { RecordStore } from './record-store.js';
import type { Sealer } from './sealer.js';

export interface SealedItem {
  id: Uint8Array;
  value: Uint8Array;
}

/** Largest id, in bytes. */
export const MAX_ITEM_ID = 32;

export class SealedCollection {
  /** Ids by slot, for the slots that hold an item that opened at load. */
  private readonly ids: Map<number, Uint8Array>;
  /** Slots whose record did not open or parse at load (reported, left in place until reused). */
  readonly damagedSlots: number[] = [];

  constructor(private readonly store: RecordStore, private readonly sealer: Sealer, private readonly firstKey: number, readonly capacity: number) {
    this.ids = new Map();
    for (let slot = 0; slot < capacity; slot++) {
      if (!store.has(firstKey + slot)) continue;
      const item = this.read(slot);
      if (item) this.ids.set(slot, item.id);
      else this.damagedSlots.push(slot);
    }
  }

  get size(): number {
    return this.ids.size;
  }

  /** Every item that opens, in slot order. */
  list(): SealedItem[] {
    const out: SealedItem[] = [];
    for (const slot of [...this.ids.keys()].sort((a, b) => a - b)) {
      const item = this.read(slot);
      if (item) out.push(item);
    }
    return out;
  }

  get(id: Uint8Array): Uint8Array | undefined {
    const slot = this.slotOf(id);
    return slot === undefined ? undefined : this.read(slot)?.value;
  }

  /** Adds or replaces the item with this id; throws 'full' when every slot is taken. */
  put(id: Uint8Array, value: Uint8Array): void {
    if (id.length < 1 || id.length > MAX_ITEM_ID) throw new StorageError('invalid', `id length ${id.length} outside 1..${MAX_ITEM_ID}`);
    let slot = this.slotOf(id);
    for (let s = 0; slot === undefined && s < this.capacity; s++) if (!this.ids.has(s)) slot = s;
    if (slot === undefined) throw new StorageError('full', `all ${this.capacity} slots are taken`);
    const plain = new Uint8Array(1 + id.length + value.length);
    plain[0] = id.length;
    plain.set(id, 1);
    plain.set(value, 1 + id.length);
    this.store.put(this.firstKey + slot, this.sealer.seal(this.firstKey + slot, plain));
    this.ids.set(slot, Uint8Array.from(id));
    const damaged = this.damagedSlots.indexOf(slot);
    if (damaged >= 0) this.damagedSlots.splice(damaged, 1);
  }

  /** Removes the item; returns whether it was there. */
  remove(id: Uint8Array): boolean {
    const slot = this.slotOf(id);
    if (slot === undefined) return false;
    this.store.delete(this.firstKey + slot);
    this.ids.delete(slot);
    return true;
  }

  private slotOf(id: Uint8Array): number | undefined {
    for (const [slot, known] of this.ids) if (equalBytes(known, id)) return slot;
    return undefined;
  }

  private read(slot: number): SealedItem | undefined {
    const key = this.firstKey + slot;
    try {
      const sealed = this.store.get(key);
      if (!sealed) return undefined;
      const plain = this.sealer.open(key, sealed);
      const idLength = plain[0];
      if (plain.length < 1 || idLength < 1 || idLength > MAX_ITEM_ID || plain.length < 1 + idLength) return undefined;
      return { id: plain.slice(1, 1 + idLength), value: plain.slice(1 + idLength) };
    } catch (error) {
      if (error instanceof StorageError) return undefined;
      throw error;
    }
  }
}
