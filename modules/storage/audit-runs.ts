// Runs of one repeated event, summarised instead of written one by one (docs/storage.md, "Audit
// log"; docs/access-control.md, "Authenticated work"). The ring drops its oldest sector when it
// fills, so a peer that repeats one action (400 symptom marks in a row) would otherwise push older
// history (the bond record) out. The first event of a run is written as it is; later identical
// events (same name, actor, outcome and detail) are counted and written as one
// 'audit.repeated' entry per SUMMARY_EVERY repeats, and once more, with the rest, when the next
// different event arrives. A power cut loses at most SUMMARY_EVERY - 1 counted repeats.
import type { AuditEvent } from './audit-entry.js';

export const AUDIT_RUNS = Object.freeze({ SUMMARY_EVERY: 64 });

function identity(event: AuditEvent): string {
  return JSON.stringify([event.event, event.actor.role, event.actor.keyId, event.outcome, event.detail ?? '']);
}

export class AuditRuns {
  private last: { key: string; event: AuditEvent } | undefined;
  private repeats = 0;

  constructor(private readonly write: (event: AuditEvent) => void) {}

  append(event: AuditEvent): void {
    const key = identity(event);
    if (key === this.last?.key) {
      if (++this.repeats === AUDIT_RUNS.SUMMARY_EVERY) this.summarise();
      return;
    }
    if (this.repeats > 0) this.summarise();
    this.write(event);
    this.last = { key, event };
  }

  private summarise(): void {
    const { event } = this.last!;
    this.write({
      event: 'audit.repeated',
      actor: event.actor,
      outcome: event.outcome,
      detail: `${this.repeats} more: ${event.event}${event.detail ? ` ${event.detail}` : ''}`,
    });
    this.repeats = 0;
  }
}
