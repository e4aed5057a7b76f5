// The device's own identity (docs/access-control.md, "Provisioning"). On first boot the device
// makes its X25519 Noise static key pair from the hardware RNG and stores it sealed; the private
// half never leaves the device. A manufacturer programmer then installs a device certificate for
// that key (access.provision, manufacturer role AND presence), so programmers can check they talk
// to a genuine implant. Installing again (renewal) takes the same two factors. Next to the key
// sits the radio's identity resolving key (IRK, docs/privacy.md), made from the same RNG on first
// boot (or on the first boot of a firmware that has one, for an identity stored without it).
import { equalBytes } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { checkCertificate } from './certificate.js';
import type { DeviceIdentity, IdentityStore, StoredIdentity } from './ports.js';
import { AccessStatus } from './status.js';
import type { TrustStore } from './trust-store.js';
import type { TrustedTime } from './trusted-time.js';

/** Bluetooth Core Vol 3 Part H §2.4.2.1: an IRK is a 128-bit key. */
export const IRK_BYTES = 16;

export class IdentityService {
  private current: DeviceIdentity;

  constructor(
    private readonly crypto: CryptoProvider,
    private readonly store: IdentityStore,
    private readonly trust: TrustStore,
    private readonly time: TrustedTime,
  ) {
    const stored = store.load();
    this.current = stored ? this.withIrk(stored) : this.create();
  }

  identity(): DeviceIdentity {
    return this.current;
  }

  isProvisioned(): boolean {
    return this.current.certificate !== undefined;
  }

  /** Installs a device certificate for this device's own key; 0 or PROVISIONING_REJECTED / CERT_*. */
  install(certificate: Uint8Array): number {
    const check = checkCertificate(this.crypto, this.trust, this.time, certificate, { roles: ['device'] });
    if (!check.ok) return check.status;
    if (!equalBytes(check.cert.subjectKey, this.current.staticPublic)) return AccessStatus.PROVISIONING_REJECTED;
    const next = { ...this.current, certificate };
    this.store.save(next);
    this.current = next;
    return 0;
  }

  private create(): DeviceIdentity {
    const staticSecret = this.crypto.randomBytes(32);
    const identity = { staticSecret, staticPublic: this.crypto.x25519.publicKey(staticSecret), irk: this.crypto.randomBytes(IRK_BYTES) };
    this.store.save(identity);
    return identity;
  }

  /** An identity stored before the IRK existed gets one, saved at once (its key and certificate unchanged). */
  private withIrk(stored: StoredIdentity): DeviceIdentity {
    if (stored.irk?.length === IRK_BYTES) return stored as DeviceIdentity;
    const identity = { ...stored, irk: this.crypto.randomBytes(IRK_BYTES) };
    this.store.save(identity);
    return identity;
  }
}
