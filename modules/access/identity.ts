// The device's own identity (docs/access-control.md, "Provisioning"). On first boot the device
// makes its X25519 Noise static key pair from the hardware RNG and stores it sealed; the private
// half never leaves the device. A manufacturer programmer then installs a device certificate for
// that key (access.provision, manufacturer role AND presence), so programmers can check they talk
// to a genuine implant. Installing again (renewal) takes the same two factors.
import { equalBytes } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { checkCertificate } from './certificate.js';
import type { DeviceIdentity, IdentityStore } from './ports.js';
import { AccessStatus } from './status.js';
import type { TrustStore } from './trust-store.js';
import type { TrustedTime } from './trusted-time.js';

export class IdentityService {
  private current: DeviceIdentity;

  constructor(
    private readonly crypto: CryptoProvider,
    private readonly store: IdentityStore,
    private readonly trust: TrustStore,
    private readonly time: TrustedTime,
  ) {
    this.current = store.load() ?? this.create();
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
    const identity = { staticSecret, staticPublic: this.crypto.x25519.publicKey(staticSecret) };
    this.store.save(identity);
    return identity;
  }
}
