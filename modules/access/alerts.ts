// Security alerts for the people the device serves (docs/access-control.md, "Alerts"): the
// patient's app reads them at its next connection, the clinician's programmer at interrogation,
// as the patient-notification defences in the literature propose. Each audience acknowledges
// separately. All state is in monotonic counters, so alerts survive power cuts and an attacker
// cannot erase one by resetting the device:  pending = raised - seen by that audience.
import type { CounterStore } from './ports.js';

export const ALERT_KINDS = Object.freeze([
  /** A run of failed authentications reached the lockout. */
  'lockout',
  /** The case switch (tamper GPIO) opened. */
  'tamper',
  /** Someone used emergency access. */
  'emergency-access',
  /** A new phone was bonded. */
  'bond-added',
  /** A bond was removed. */
  'bond-removed',
  /** The trust anchors changed (root rotation or revocation). */
  'trust-changed',
] as const);

export type AlertKind = (typeof ALERT_KINDS)[number];
export type Audience = 'patient' | 'clinician';

export interface PendingAlert {
  readonly kind: AlertKind;
  /** How many times it was raised since this audience last acknowledged. */
  readonly count: number;
}

export class Alerts {
  constructor(private readonly counters: CounterStore) {}

  raise(kind: AlertKind): void {
    this.counters.raise(raisedName(kind), this.counters.read(raisedName(kind)) + 1);
  }

  pending(audience: Audience): PendingAlert[] {
    const out: PendingAlert[] = [];
    for (const kind of ALERT_KINDS) {
      const count = this.counters.read(raisedName(kind)) - this.counters.read(seenName(kind, audience));
      if (count > 0) out.push({ kind, count });
    }
    return out;
  }

  /** Marks everything pending for this audience as seen; returns how many kinds were pending. */
  acknowledge(audience: Audience): number {
    const pending = this.pending(audience);
    for (const { kind } of pending) this.counters.raise(seenName(kind, audience), this.counters.read(raisedName(kind)));
    return pending.length;
  }
}

function raisedName(kind: AlertKind): string {
  return `access.alert.${kind}`;
}

function seenName(kind: AlertKind, audience: Audience): string {
  return `access.alert.${kind}.seen-${audience}`;
}
