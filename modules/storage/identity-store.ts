// The device identity (its key pair and certificate, encoded by the access module), sealed and
// written once: provisioning a second time needs an explicit replace, which the access layer
// grants only to the manufacturer role.
import { StorageError } from './errors.js';
import { RecordKeys } from './record-keys.js';
import type { RecordStore } from './record-store.js';
import type { Sealer } from './sealer.js';

export class IdentityStore {
  constructor(private readonly store: RecordStore, private readonly sealer: Sealer) {}

  /** The identity bytes, or undefined before provisioning. Throws 'corrupt' or 'unsealed' if damaged. */
  get(): Uint8Array | undefined {
    const sealed = this.store.get(RecordKeys.identity);
    return sealed && this.sealer.open(RecordKeys.identity, sealed);
  }

  get provisioned(): boolean {
    return this.store.has(RecordKeys.identity);
  }

  /** Stores the identity; throws 'exists' if one is there and `replace` is not set. */
  provision(identity: Uint8Array, options: { replace?: boolean } = {}): void {
    if (this.provisioned && !options.replace) throw new StorageError('exists', 'the device identity is already provisioned');
    this.store.put(RecordKeys.identity, this.sealer.seal(RecordKeys.identity, identity));
  }
}
