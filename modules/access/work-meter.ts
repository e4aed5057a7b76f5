// Authenticated work of bonded phones, charged to the energy budget (docs/access-control.md,
// "Authenticated work"). Admission bounds what strangers cost; once a phone has bonded its
// requests cost the battery too, and a rogue or compromised phone must not spend it freely. Each
// request of a patient session is charged its worst case before it runs: the radio packets of
// its largest request and of a RESPONSE_BYTES answer at the smallest MTU, their AEAD blocks,
// and an audit write. A session may spend SESSION_UJ, all patient sessions together DAY_UJ per
// day (a bucket that refills continuously); past either the answer is RATE_LIMITED and nothing
// runs. Clinicians and manufacturers hold certificates and are not metered (an update is
// thousands of chunks); emergency sessions need presence.
import type { Clock } from '../core/clock.js';
import type { CommandPolicy, CommandSpec, SessionView } from '../channel/commands.js';
import { fragmentCapacity, MIN_ATT_MTU } from '../channel/framing.js';
import { NONCE_BYTES, TAG_BYTES } from '../channel/transport.js';
import { Status } from '../channel/status.js';
import type { StatusCode } from '../channel/status.js';
import { DAILY_BUDGET_UJ, ENERGY_COST_UJ } from './energy.js';

/** Envelope around the arguments: array head, request id, a 64-byte name, the args' bstr head. */
const ENVELOPE_BYTES = 1 + 5 + 66 + 3;
const DAY_MS = 86_400_000;

export const WORK = Object.freeze({
  /** Answer size every request is charged for (an interrogation is about 300 bytes). */
  RESPONSE_BYTES: 512,
  /** All patient sessions together, per day: 2% of the daily budget. */
  DAY_UJ: DAILY_BUDGET_UJ / 50,
  /** One session: a quarter of the day's allowance. */
  SESSION_UJ: DAILY_BUDGET_UJ / 200,
});

function packets(messageBytes: number): number {
  // One START fragment carries 4 bytes less than the others' 1-byte header allows; count it as a continuation plus one.
  return Math.ceil((messageBytes + 3) / (fragmentCapacity(MIN_ATT_MTU) - 1));
}

/** The worst-case energy of one request of `spec`, in microjoules. */
export function requestCostUj(spec: CommandSpec): number {
  const request = ENVELOPE_BYTES + spec.maxArgBytes + NONCE_BYTES + TAG_BYTES;
  const response = WORK.RESPONSE_BYTES + NONCE_BYTES + TAG_BYTES;
  return (packets(request) + packets(response)) * ENERGY_COST_UJ['radio.packet']
    + Math.ceil((request + response) / 64) * ENERGY_COST_UJ['crypto.aead.block']
    + ENERGY_COST_UJ['storage.audit-entry'];
}

export class WorkMeter {
  private session = { id: -1, spentUj: 0 };
  private level: number = WORK.DAY_UJ;
  private updatedAt: number;

  constructor(private readonly clock: Clock) {
    this.updatedAt = clock.now();
  }

  /** Charges one request of a patient session: OK, or RATE_LIMITED (nothing is charged then). */
  charge(spec: CommandSpec, session: SessionView): StatusCode {
    if (session.principal.role !== 'patient') return Status.OK;
    if (session.id !== this.session.id) this.session = { id: session.id, spentUj: 0 };
    const cost = requestCostUj(spec);
    this.refill();
    if (this.session.spentUj + cost > WORK.SESSION_UJ || cost > this.level) return Status.RATE_LIMITED;
    this.session.spentUj += cost;
    this.level -= cost;
    return Status.OK;
  }

  /** Energy left in the day's bucket (tests, diagnostics). */
  remainingUj(): number {
    this.refill();
    return this.level;
  }

  private refill(): void {
    const now = this.clock.now();
    this.level = Math.min(WORK.DAY_UJ, this.level + ((now - this.updatedAt) * WORK.DAY_UJ) / DAY_MS);
    this.updatedAt = now;
  }
}

/** The authorization policy with the meter behind it: a request the policy allows still needs the energy. */
export function meteredPolicy(policy: Required<CommandPolicy>, meter: WorkMeter): Required<CommandPolicy> {
  return {
    authorize(spec, session) {
      // Refused requests cost the radio too: they are charged, and keep their own answer.
      const allowed = policy.authorize(spec, session);
      const charged = meter.charge(spec, session);
      return allowed === Status.OK ? charged : allowed;
    },
    completed: (spec, session, requestId, status) => policy.completed(spec, session, requestId, status),
  };
}
