// The update keys are the manufacturer roots of modules/access (slot 0 built in, slot 1 for
// rotation, revocation by signed trust update); this adapts its lookup to the update's errors.
import { AccessStatus } from '../access/status.js';
import type { RootLookup } from '../access/trust-store.js';
import type { KeyLookup } from './signed-manifest.js';

export function updateKeysFrom(trust: { rootFor(kid: Uint8Array | undefined): RootLookup }): KeyLookup {
  return (kid) => {
    const found = trust.rootFor(kid);
    if (found.ok) return { ok: true, publicKey: found.publicKey };
    return { ok: false, reason: found.status === AccessStatus.CERT_REVOKED ? 'revoked-key' : 'unknown-key' };
  };
}
