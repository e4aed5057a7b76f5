// Admission before any radio session or Diffie-Hellman (docs/access-control.md, "Floods and
// energy"). Every connection and handshake an unknown initiator starts costs the battery (radio,
// X25519, a signature check), and the device cannot tell an attacker from a friend before that
// work. So admission spends from a token bucket measured in microjoules:
//   - a new connection reserves CONNECTION_WORST_UJ (its radio work),
//   - a handshake reserves HANDSHAKE_CRYPTO_WORST_UJ before its first DH,
//   - a session that authenticates and proves it is live gets both back (legitimate use is not
//     an attack; a replayed IK first message authenticates but never proves it, authenticator.ts),
//   - the bucket refills at ALLOWANCE_PER_DAY_UJ.
// Whatever an attacker does, the extra energy in any day stays below capacity + allowance
// = 0.88% of the daily budget, as long as each reservation covers the real cost (a test checks
// that). While the bucket cannot pay for a whole handshake, or a lockout runs, the device is not
// connectable at all (a BLE adapter that asks connectable() stops connectable advertising), so
// refused attempts cost no radio time either. Physical presence bypasses both: no one at radio
// range can assert it.
// @req SEC-03 (docs/traceability.md)
import type { Clock } from '../core/clock.js';
import { Status } from '../channel/status.js';
import { CONNECTION_WORST_UJ, DAILY_BUDGET_UJ, HANDSHAKE_CRYPTO_WORST_UJ, HANDSHAKE_WORST_UJ } from './energy.js';
import type { Lockout } from './lockout.js';
import type { PhysicalPresence } from './presence.js';
import { AccessStatus } from './status.js';

export const ADMISSION = Object.freeze({
  /** Energy unauthenticated connections may draw per day: 0.4% of the daily budget. */
  ALLOWANCE_PER_DAY_UJ: DAILY_BUDGET_UJ / 250,
  /** Connections with handshakes that can start back to back when the bucket is full. */
  BURST_HANDSHAKES: 3,
});

const DAY_MS = 86_400_000;

export class Admission {
  private readonly capacity = ADMISSION.BURST_HANDSHAKES * HANDSHAKE_WORST_UJ;
  private level = this.capacity;
  private updatedAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly lockout: Lockout,
    private readonly presence: PhysicalPresence,
  ) {
    this.updatedAt = clock.now();
  }

  /** A central connected (before any of its messages): Status.OK, LOCKED_OUT or RATE_LIMITED. */
  admitConnection(): number {
    return this.take(CONNECTION_WORST_UJ);
  }

  /** A handshake's first message arrived, before any DH: Status.OK, LOCKED_OUT or RATE_LIMITED. */
  admitHandshake(): number {
    return this.take(HANDSHAKE_CRYPTO_WORST_UJ);
  }

  /** An admitted initiator authenticated and proved it is live: its reservations return to the bucket. */
  refund(): void {
    this.refill();
    this.level = Math.min(this.capacity, this.level + HANDSHAKE_WORST_UJ);
  }

  /** Whether the radio should accept connections now. */
  connectable(): boolean {
    return this.presence.isHeld() || this.clock.now() >= this.nextOpportunity();
  }

  /** Monotonic time from which a whole connection and handshake would be admitted (absent presence). */
  nextOpportunity(): number {
    this.refill();
    const missing = Math.max(0, HANDSHAKE_WORST_UJ - this.level);
    const refillAt = this.clock.now() + Math.ceil((missing * DAY_MS) / ADMISSION.ALLOWANCE_PER_DAY_UJ);
    return Math.max(refillAt, this.lockout.lockedUntil());
  }

  private take(cost: number): number {
    if (this.presence.isHeld()) return Status.OK;
    if (this.lockout.isLocked()) return AccessStatus.LOCKED_OUT;
    this.refill();
    if (this.level < cost) return Status.RATE_LIMITED;
    this.level -= cost;
    return Status.OK;
  }

  private refill(): void {
    const now = this.clock.now();
    this.level = Math.min(this.capacity, this.level + ((now - this.updatedAt) * ADMISSION.ALLOWANCE_PER_DAY_UJ) / DAY_MS);
    this.updatedAt = now;
  }
}
