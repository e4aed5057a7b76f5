// The device's half of the pairing-code exchange (docs/access-control.md, "Comparing codes";
// the commitment scheme is in sas.ts). After an XX handshake bonded a phone, that same session
// must, in order:
//   access.pairing.commit  {commitment}  the phone's commitment; the device answers its nonce
//   access.pairing.reveal  {nonce}       the phone's nonce; the device checks the commitment and
//                                        only then shows the code
// A reveal that does not open the commitment removes the bond at once. A bond whose exchange
// has not completed CONFIRM_MS after its handshake is removed too, so skipping the exchange (and
// with it the code on the device) never leaves a bond behind for long. Either removal is audited
// and raises a 'bond-removed' alert.
import { equalBytes } from '../core/bytes.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { Status } from '../channel/status.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { Alerts } from './alerts.js';
import type { AuditSink, BondStore } from './ports.js';
import { pairingCode, pairingCommitment, PAIRING_NONCE_BYTES } from './sas.js';
import { AccessStatus } from './status.js';

export const PAIRING_CODE = Object.freeze({
  /** From the bonding handshake to the reveal. */
  CONFIRM_MS: 30000,
});

export interface PairingCodeDeps {
  readonly clock: Clock;
  readonly crypto: CryptoProvider;
  readonly bonds: BondStore;
  readonly audit: AuditSink;
  /** The handshake raised 'bond-added'; a removal here raises 'bond-removed'. */
  readonly alerts: Pick<Alerts, 'raise'>;
  readonly display: (line: string) => void;
}

interface Pending {
  readonly handshakeHash: Uint8Array;
  readonly keyId: Uint8Array;
  readonly timer: TimerHandle;
  commitment?: Uint8Array;
  deviceNonce?: Uint8Array;
}

/** What the exchange's commands see of their session. */
export interface PairingSession {
  readonly handshakeHash: Uint8Array;
  readonly keyId: Uint8Array;
}

export type CommitResult = { ok: true; deviceNonce: Uint8Array } | { ok: false; status: number };

export class PairingCodeExchange {
  private pending: Pending | undefined;

  constructor(private readonly d: PairingCodeDeps) {}

  /** An XX handshake with hash `handshakeHash` just bonded the key `keyId`. */
  bonded(handshakeHash: Uint8Array, keyId: Uint8Array): void {
    this.clear();
    const timer = this.d.clock.setTimeout(() => this.fail('timeout'), PAIRING_CODE.CONFIRM_MS);
    this.pending = { handshakeHash, keyId, timer };
  }

  commit(session: PairingSession, commitment: Uint8Array): CommitResult {
    const p = this.mine(session);
    if (!p || p.commitment) return { ok: false, status: Status.INVALID_STATE };
    p.commitment = commitment;
    p.deviceNonce = this.d.crypto.randomBytes(PAIRING_NONCE_BYTES);
    return { ok: true, deviceNonce: p.deviceNonce };
  }

  /** Checks the phone's nonce against its commitment; shows the code and returns OK, or removes the bond. */
  reveal(session: PairingSession, phoneNonce: Uint8Array): number {
    const p = this.mine(session);
    if (!p || !p.commitment || !p.deviceNonce) return Status.INVALID_STATE;
    const sha256 = this.d.crypto.sha256;
    if (!equalBytes(pairingCommitment(sha256, p.handshakeHash, phoneNonce), p.commitment)) {
      this.fail('mismatch');
      return AccessStatus.PAIRING_UNCONFIRMED;
    }
    this.clear();
    this.d.audit.append({ type: 'bond.confirmed', role: 'patient', keyId: p.keyId, outcome: Status.OK });
    this.d.display(`pairing code ${pairingCode(sha256, p.handshakeHash, phoneNonce, p.deviceNonce)}`);
    return Status.OK;
  }

  /** The exchange in progress, if it belongs to this session (the one whose handshake bonded). */
  private mine(session: PairingSession): Pending | undefined {
    const p = this.pending;
    return p && equalBytes(p.handshakeHash, session.handshakeHash) && equalBytes(p.keyId, session.keyId) ? p : undefined;
  }

  private fail(reason: 'timeout' | 'mismatch'): void {
    const p = this.pending!;
    this.clear();
    if (this.d.bonds.remove(p.keyId)) this.d.alerts.raise('bond-removed');
    this.d.audit.append({ type: `bond.unconfirmed-${reason}`, role: 'patient', keyId: p.keyId, outcome: AccessStatus.PAIRING_UNCONFIRMED });
    this.d.display('pairing not confirmed: bond removed');
  }

  private clear(): void {
    if (this.pending) this.d.clock.clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}
