// Implants this programmer has met: the static key learned in the first XX contact, per
// Bluetooth device id, so that later sessions use IK (docs/protocol.md §4.3) and a different
// implant answering is noticed.
import { equalBytes, fromHex, toHex } from '../../../modules/core/bytes.js';
import type { KeyValueStore } from './identities.js';

export interface KnownDevice {
  readonly id: string;
  readonly name: string;
  readonly staticKey: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

const STORE_KEY = 'implant.known-devices';

export class KnownDevices {
  constructor(private readonly store: KeyValueStore, private readonly now: () => number = Date.now) {}

  list(): KnownDevice[] {
    try {
      const parsed = JSON.parse(this.store.getItem(STORE_KEY) ?? '[]') as KnownDevice[];
      return Array.isArray(parsed) ? parsed.filter((d) => typeof d.id === 'string' && /^[0-9a-f]{64}$/.test(d.staticKey)) : [];
    } catch {
      return [];
    }
  }

  keyOf(id: string): Uint8Array | undefined {
    const found = this.list().find((d) => d.id === id);
    return found ? fromHex(found.staticKey) : undefined;
  }

  /** Records the key met now; false (and nothing stored) if another key is already pinned for the device. */
  remember(id: string, name: string, staticKey: Uint8Array): boolean {
    const all = this.list();
    const found = all.find((d) => d.id === id);
    if (found && !equalBytes(fromHex(found.staticKey), staticKey)) return false;
    const entry = { id, name, staticKey: toHex(staticKey), firstSeen: found?.firstSeen ?? this.now(), lastSeen: this.now() };
    this.save([...all.filter((d) => d.id !== id), entry]);
    return true;
  }

  forget(id: string): void {
    this.save(this.list().filter((d) => d.id !== id));
  }

  private save(list: KnownDevice[]): void {
    this.store.setItem(STORE_KEY, JSON.stringify(list));
  }
}
