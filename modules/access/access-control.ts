// Access control assembled (docs/access-control.md): one object per device that the composition
// root (modules/app/firmware.ts) creates with the storage, clock and crypto it uses, and hands to
// the channel (admit, authenticate, xxAllowed), to the dispatcher (authorizer) and to the device
// adapters (presence, tamper). Its parts are exported for tests and tools; nothing here keeps module-scope state.
import type { Clock } from '../core/clock.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { Admission } from './admission.js';
import { Alerts } from './alerts.js';
import { Authenticator } from './authenticator.js';
import { Authorizer } from './authorizer.js';
import type { CommandPolicy } from '../channel/commands.js';
import { EmergencyArm } from './emergency.js';
import { IdentityService } from './identity.js';
import { Lockout } from './lockout.js';
import { PairingWindow } from './pairing.js';
import { PairingCodeExchange } from './pairing-code.js';
import { policyFor } from './policy.js';
import type { PairingEvent } from './pairing.js';
import type { AuditReader, AuditSink, BondStore, CounterStore, IdentityStore, TrustStateStore } from './ports.js';
import { PhysicalPresence } from './presence.js';
import { AccessStatus } from './status.js';
import { TrustStore } from './trust-store.js';
import type { TrustConfig } from './trust-store.js';
import { TrustedTime } from './trusted-time.js';
import { meteredPolicy, WorkMeter } from './work-meter.js';

export interface AccessDeps {
  readonly clock: Clock;
  readonly crypto: CryptoProvider;
  readonly counters: CounterStore;
  readonly bonds: BondStore;
  readonly identities: IdentityStore;
  readonly trustState: TrustStateStore;
  readonly audit: AuditSink;
  readonly auditReader: AuditReader;
  /** The firmware's built-in root slots and revocations (builtin-trust.ts on the device). */
  readonly trustConfig: TrustConfig;
  /** Shows a line on the device console (pairing window, short authentication string). */
  readonly display?: (line: string) => void;
}

export class AccessControl {
  readonly presence: PhysicalPresence;
  readonly pairing: PairingWindow;
  readonly emergency: EmergencyArm;
  readonly time: TrustedTime;
  readonly trust: TrustStore;
  readonly identity: IdentityService;
  readonly lockout: Lockout;
  readonly admission: Admission;
  readonly alerts: Alerts;
  readonly authenticator: Authenticator;
  /** The policy table's authorizer, with bonded phones' work metered (work-meter.ts). */
  readonly authorizer: Required<CommandPolicy>;
  readonly work: WorkMeter;
  readonly pairingCode: PairingCodeExchange;

  constructor(readonly deps: AccessDeps) {
    const { clock, crypto, counters, audit } = deps;
    this.presence = new PhysicalPresence(clock);
    this.pairing = new PairingWindow(clock, this.presence, (event) => this.onPairing(event));
    this.emergency = new EmergencyArm(this.presence);
    this.time = new TrustedTime(clock, counters);
    this.trust = new TrustStore(crypto, deps.trustConfig, deps.trustState);
    this.identity = new IdentityService(crypto, deps.identities, this.trust, this.time);
    this.lockout = new Lockout(clock, counters);
    this.admission = new Admission(clock, this.lockout, this.presence);
    this.alerts = new Alerts(counters, deps.bonds);
    this.pairingCode = new PairingCodeExchange({ clock, crypto, bonds: deps.bonds, audit, alerts: this.alerts, display: (line) => deps.display?.(line) });
    this.authenticator = new Authenticator({
      clock, crypto, trust: this.trust, time: this.time, bonds: deps.bonds, pairing: this.pairing,
      emergency: this.emergency, lockout: this.lockout, admission: this.admission, alerts: this.alerts, audit,
      onBonded: (handshakeHash, keyId) => this.pairingCode.bonded(handshakeHash, keyId),
    });
    this.work = new WorkMeter(clock);
    this.authorizer = meteredPolicy(new Authorizer(clock, audit, policyFor, (principal) => this.authenticator.confirm(principal)), this.work);
    if (this.trust.damaged) this.trustDamaged();
  }

  /**
   * Whether an XX handshake (which reveals the device's static key) may run now: inside the
   * pairing window, while emergency is armed (a hold of EMERGENCY.ARM_HOLD_MS), or before
   * provisioning with presence held (the factory programmer at the device). Presence alone never
   * opens XX on a provisioned device: a stranger must not ride on the patient's pairing press.
   * Everyday sessions use IK with the key learned at pairing or provisioning.
   */
  xxAllowed(): boolean {
    if (this.pairing.isOpen() || this.emergency.isArmed()) return true;
    return !this.identity.isProvisioned() && this.presence.isHeld();
  }

  /** The case switch opened (tamper GPIO): audited, and an alert for patient and clinician. */
  tamper(): void {
    this.deps.audit.append({ type: 'tamper', role: 'none', outcome: 0 });
    this.alerts.raise('tamper');
  }

  /** The saved trust anchors did not open (trust-store.ts fails closed): audited and announced at every boot. */
  private trustDamaged(): void {
    this.deps.audit.append({ type: 'trust.damaged', role: 'none', outcome: AccessStatus.TRUST_STATE_DAMAGED });
    this.alerts.raise('trust-damaged');
    this.deps.display?.('trust anchors damaged: certificates and updates refused until serviced');
  }

  private onPairing(event: PairingEvent): void {
    this.deps.audit.append({ type: `pairing.${event}`, role: 'none', outcome: 0 });
    this.deps.display?.(event === 'open' ? 'pairing window open' : 'pairing window closed');
  }
}
