// The dispatcher's authorization hook (modules/channel CommandPolicy) over the policy table.
// Checked for every request, in this order: a row exists (default deny), emergency rights still
// hold (time limit and presence), the session's role is in the row, presence if the row needs it.
// Every refusal and every logged command goes to the audit log with the actor's role and key id;
// past MAX_LOGGED_REFUSALS in one session, refusals are counted instead (one summary entry), so
// an authenticated peer that spams forbidden commands cannot wear out the flash.
import type { Clock } from '../core/clock.js';
import type { CommandPolicy, CommandSpec, Principal, SessionView } from '../channel/commands.js';
import { Status } from '../channel/status.js';
import type { StatusCode } from '../channel/status.js';
import { policyFor } from './policy.js';
import type { PolicyRow } from './policy.js';
import type { AuditSink } from './ports.js';
import { isAccessPrincipal } from './principal.js';
import { AccessStatus } from './status.js';

/** Refusals written one by one per session before they are only counted. */
export const MAX_LOGGED_REFUSALS = 8;

export class Authorizer implements CommandPolicy {
  /** Refusals in the current session (the device serves one session at a time). */
  private refusals = { session: -1, count: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly audit: AuditSink,
    private readonly table: (command: string) => PolicyRow | undefined = policyFor,
    /** Called for every request that decrypted in a session: proof that its initiator is live. */
    private readonly onLiveSession: (principal: Principal) => void = () => {},
  ) {}

  authorize(spec: CommandSpec, session: SessionView): StatusCode {
    this.onLiveSession(session.principal);
    const row = this.table(spec.name);
    if (!row) return Status.DENIED;
    const principal = session.principal;
    if (principal.role === 'emergency') {
      const expires = isAccessPrincipal(principal) ? principal.expiresAtMs : undefined;
      if (expires === undefined || this.clock.now() >= expires || !session.physicalPresence()) return AccessStatus.EMERGENCY_ENDED;
    }
    if (!(row.roles as readonly string[]).includes(principal.role)) return Status.DENIED;
    if (row.presence && !session.physicalPresence()) return Status.PRESENCE_REQUIRED;
    return Status.OK;
  }

  completed(spec: CommandSpec, session: SessionView, _requestId: number, status: StatusCode): void {
    const row = this.table(spec.name);
    const principal = session.principal;
    if (status === Status.OK && row?.logged === false && principal.role !== 'emergency') return;
    if (status !== Status.OK) {
      if (this.refusals.session !== session.id) this.refusals = { session: session.id, count: 0 };
      const count = ++this.refusals.count;
      if (count > MAX_LOGGED_REFUSALS + 1) return;
      if (count === MAX_LOGGED_REFUSALS + 1) {
        this.audit.append({ type: 'command.refusals-suppressed', role: principal.role, keyId: principal.keyId, subject: spec.name, outcome: status });
        return;
      }
    }
    this.audit.append({
      type: status === Status.OK ? 'command' : 'command.refused',
      role: principal.role,
      keyId: principal.keyId,
      subject: spec.name,
      outcome: status,
    });
  }
}
