// Handshake-time authentication (docs/access-control.md, "Who is on the other end"): the channel
// calls admit() before any DH, then authenticate() with the initiator's static key and payload
// once the handshake has decrypted them. The role is decided in this order:
//   1. a certificate in the payload: chain to a root slot, not revoked, valid under the time
//      policy, role clinician or manufacturer, subject key = the handshake's static key;
//   2. a bonded static key: patient;
//   3. an XX handshake inside the pairing window: bond the key (if a slot is free): patient;
//   4. emergency armed (presence held without a break for EMERGENCY.ARM_HOLD_MS, emergency.ts):
//      emergency, time-limited, one session per hold;
//   5. otherwise refused.
// A certificate that fails gives emergency rights only if emergency is armed, else it is refused.
// Presence alone (the pairing press, a clinic magnet held for a moment) gives a stranger nothing.
// Every outcome is audited; failures feed the lockout; successes refund the admission energy.
// @req SEC-04 (docs/traceability.md)
import { equalBytes } from '../core/bytes.js';
import type { Clock } from '../core/clock.js';
import type { Principal } from '../channel/commands.js';
import { Status } from '../channel/status.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { Admission } from './admission.js';
import type { Alerts } from './alerts.js';
import { checkCertificate } from './certificate.js';
import type { EmergencyArm } from './emergency.js';
import { keyIdOf } from './key-id.js';
import type { Lockout } from './lockout.js';
import { LOCKOUT } from './lockout.js';
import { PAIRING } from './pairing.js';
import type { PairingWindow } from './pairing.js';
import type { AuditSink, BondStore } from './ports.js';
import { EMERGENCY } from './principal.js';
import type { AccessPrincipal } from './principal.js';
import { SESSION_CERT_ROLES } from './roles.js';
import { AccessStatus } from './status.js';
import type { TrustStore } from './trust-store.js';
import type { TrustedTime } from './trusted-time.js';

export interface HandshakeFacts {
  /** Noise pattern of the handshake, 'IK' or 'XX'. */
  readonly pattern: string;
  /** The initiator's X25519 static public key, as the handshake authenticated it. */
  readonly remoteStatic: Uint8Array;
  /** The initiator's decrypted handshake payload: its certificate (COSE_Sign1), or empty. */
  readonly payload: Uint8Array;
  /** Handshake hash after the initiator's last message: the short authentication string's input. */
  readonly handshakeHash: Uint8Array;
}

export type AuthResult = { ok: true; principal: AccessPrincipal } | { ok: false; status: number };

export interface AuthenticatorDeps {
  readonly clock: Clock;
  readonly crypto: CryptoProvider;
  readonly trust: TrustStore;
  readonly time: TrustedTime;
  readonly bonds: BondStore;
  readonly pairing: PairingWindow;
  readonly emergency: EmergencyArm;
  readonly lockout: Lockout;
  readonly admission: Admission;
  readonly alerts: Alerts;
  readonly audit: AuditSink;
  /** A new phone was bonded in this handshake (its pairing-code exchange starts, pairing-code.ts). */
  readonly onBonded: (handshakeHash: Uint8Array, keyId: Uint8Array) => void;
}

/**
 * IK refusals that an initiator can provoke without a genuine certificate from one of our roots.
 * Another implant answers an IK HELLO made for this implant's key with AUTH_FAILED (its Noise
 * decryption fails), so this implant answers these the same: otherwise a probe with a throwaway
 * key would tell this implant from any other (a tracking oracle). The audit log keeps the code.
 */
const UNDISCLOSED_IK_REFUSALS: readonly number[] = [
  Status.UNKNOWN_PEER, AccessStatus.CERT_MALFORMED, AccessStatus.CERT_UNKNOWN_ISSUER, AccessStatus.CERT_BAD_SIGNATURE,
];

export class Authenticator {
  /** Refusals since the last admitted handshake; only the first of a run is audited (flash wear). */
  private refusedRun = 0;
  /** An IK session whose initiator has not yet proven it is live (see confirm). */
  private unconfirmed: Principal | undefined;

  constructor(private readonly d: AuthenticatorDeps) {}

  /** A central connected: the cheap gate for its radio work (lockout, energy bucket, presence). */
  admitConnection(): number {
    const status = this.d.admission.admitConnection();
    return status === Status.OK ? status : this.refuse(status);
  }

  /** Before any DH: the same gate for the handshake's crypto. */
  admit(): number {
    const status = this.d.admission.admitHandshake();
    if (status !== Status.OK) return this.refuse(status);
    if (this.refusedRun > 1) this.d.audit.append({ type: 'auth.refused-run', role: 'none', subject: String(this.refusedRun), outcome: Status.OK });
    this.refusedRun = 0;
    return status;
  }

  /** Refuses a handshake before any DH; audits the first refusal of a run, counts the rest. */
  refuse(status: number): number {
    if (this.refusedRun++ === 0) this.d.audit.append({ type: 'auth.refused', role: 'none', outcome: status });
    return status;
  }

  authenticate(facts: HandshakeFacts): AuthResult {
    const keyId = keyIdOf(this.d.crypto.sha256, facts.remoteStatic);
    const decided = this.decide(facts, keyId);
    if (decided.ok) {
      const p = decided.principal;
      this.d.audit.append({ type: 'auth.ok', role: p.role, keyId, subject: p.credential, outcome: Status.OK });
      // An XX initiator proved it is live (its last message answers our fresh ephemeral key). An
      // IK first message can be a replay of a captured one (Noise §7.7), so its success counts
      // only once the session carries a command (confirm): a replay never resets the lockout
      // nor refunds the energy its handshake cost.
      this.unconfirmed = undefined;
      if (p.credential !== 'presence') {
        if (facts.pattern === 'XX') this.succeed();
        else this.unconfirmed = p;
      }
      return decided;
    }
    this.d.audit.append({ type: 'auth.fail', role: 'none', keyId, outcome: decided.status });
    this.recordFailure();
    return { ok: false, status: facts.pattern === 'IK' && UNDISCLOSED_IK_REFUSALS.includes(decided.status) ? Status.AUTH_FAILED : decided.status };
  }

  /** The session of `principal` carried its first command: an IK success now counts. */
  confirm(principal: Principal): void {
    if (principal !== this.unconfirmed) return;
    this.unconfirmed = undefined;
    this.succeed();
  }

  private succeed(): void {
    this.d.lockout.recordSuccess();
    this.d.admission.refund();
  }

  /** Counts a failed handshake or credential; the streak that reaches the lockout raises an alert. */
  recordFailure(): void {
    if (this.d.lockout.recordFailure() === LOCKOUT.FREE_FAILURES) this.d.alerts.raise('lockout');
  }

  private decide(facts: HandshakeFacts, keyId: Uint8Array): AuthResult {
    // The initiator's payload is its certificate, or empty for a phone or an emergency programmer.
    if (facts.payload.length > 0) {
      const check = checkCertificate(this.d.crypto, this.d.trust, this.d.time, facts.payload, {
        staticKey: facts.remoteStatic,
        roles: SESSION_CERT_ROLES,
      });
      if (!check.ok) return this.orEmergency(facts, keyId, check.status);
      const role = check.cert.role === 'manufacturer' ? 'manufacturer' : 'clinician';
      return { ok: true, principal: { role, keyId, staticKey: facts.remoteStatic, credential: 'certificate', serial: check.cert.serial } };
    }
    const bonds = this.d.bonds.list();
    if (bonds.some((b) => equalBytes(b.staticKey, facts.remoteStatic))) return this.patient(facts, keyId);
    if (facts.pattern === 'XX' && this.d.pairing.isOpen()) {
      if (bonds.length >= PAIRING.MAX_BONDS) return this.orEmergency(facts, keyId, AccessStatus.BONDS_FULL);
      this.d.bonds.add({ keyId, staticKey: facts.remoteStatic, bondedAt: this.d.time.now() ?? 0 });
      this.d.pairing.bonded();
      this.d.alerts.raise('bond-added');
      this.d.audit.append({ type: 'bond.added', role: 'patient', keyId, outcome: Status.OK });
      this.d.onBonded(facts.handshakeHash, keyId);
      return this.patient(facts, keyId);
    }
    return this.orEmergency(facts, keyId, facts.pattern === 'XX' ? AccessStatus.PAIRING_CLOSED : Status.UNKNOWN_PEER);
  }

  private patient(facts: HandshakeFacts, keyId: Uint8Array): AuthResult {
    return { ok: true, principal: { role: 'patient', keyId, staticKey: facts.remoteStatic, credential: 'bond' } };
  }

  /** While emergency is armed, the first initiator without a usable credential gets emergency rights. */
  private orEmergency(facts: HandshakeFacts, keyId: Uint8Array, status: number): AuthResult {
    if (!this.d.emergency.take()) return { ok: false, status };
    if (status !== Status.UNKNOWN_PEER && status !== AccessStatus.PAIRING_CLOSED) {
      this.d.audit.append({ type: 'auth.credential-refused', role: 'none', keyId, outcome: status });
    }
    this.d.alerts.raise('emergency-access');
    return {
      ok: true,
      principal: {
        role: 'emergency',
        keyId,
        staticKey: facts.remoteStatic,
        credential: 'presence',
        expiresAtMs: this.d.clock.now() + EMERGENCY.SESSION_MS,
      },
    };
  }
}
