// Security alerts for the people the device serves (docs/access-control.md, "Alerts"): the
// patient's app reads them at its next connection, the clinician's programmer at interrogation,
// as the patient-notification defences in the literature propose. Each audience acknowledges
// separately, and every bonded phone is its own audience: a second (perhaps rogue) phone's
// acknowledgement hides nothing from the patient's phone. Raised counts are monotonic counters,
// a phone's seen counts sit on its bond record, so alerts survive power cuts and an attacker
// cannot erase one by resetting the device:  pending = raised - seen by that audience.
import { equalBytes } from '../core/bytes.js';
import type { Bond, BondStore, CounterStore } from './ports.js';

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
  /** The saved trust anchors did not open: certificates and updates are refused until serviced. */
  'trust-damaged',
] as const);

export type AlertKind = (typeof ALERT_KINDS)[number];
/** Who reads alerts: the clinic's programmers together, or one bonded phone by its key id. */
export type Audience = 'clinician' | Uint8Array;

export interface PendingAlert {
  readonly kind: AlertKind;
  /** How many times it was raised since this audience last acknowledged. */
  readonly count: number;
}

export class Alerts {
  constructor(
    private readonly counters: CounterStore,
    /** Each phone's acknowledgements live on its bond record, so they go when the bond goes. */
    private readonly bonds: BondStore,
  ) {}

  raise(kind: AlertKind): void {
    this.counters.raise(raisedName(kind), this.raised(kind) + 1);
  }

  /**
   * Pending for this audience. 'patient' is the view of a phone that has acknowledged nothing
   * yet (every alert raised so far), as a newly bonded phone sees it.
   */
  pending(audience: Audience | 'patient'): PendingAlert[] {
    const seen = this.seen(audience);
    const out: PendingAlert[] = [];
    ALERT_KINDS.forEach((kind, i) => {
      const count = this.raised(kind) - seen(kind, i);
      if (count > 0) out.push({ kind, count });
    });
    return out;
  }

  /** Marks everything pending for this audience as seen (by this phone only); returns how many kinds were pending. */
  acknowledge(audience: Audience): number {
    const pending = this.pending(audience);
    if (audience === 'clinician') {
      for (const { kind } of pending) this.counters.raise(seenName(kind), this.raised(kind));
    } else {
      const bond = this.bondOf(audience);
      if (bond && pending.length > 0) this.bonds.add({ ...bond, alertsSeen: ALERT_KINDS.map((kind) => this.raised(kind)) });
    }
    return pending.length;
  }

  private raised(kind: AlertKind): number {
    return this.counters.read(raisedName(kind));
  }

  private seen(audience: Audience | 'patient'): (kind: AlertKind, index: number) => number {
    if (audience === 'clinician') return (kind) => this.counters.read(seenName(kind));
    const seen = audience === 'patient' ? undefined : this.bondOf(audience)?.alertsSeen;
    return (_kind, i) => seen?.[i] ?? 0;
  }

  private bondOf(keyId: Uint8Array): Bond | undefined {
    return this.bonds.list().find((b) => equalBytes(b.keyId, keyId));
  }
}

function raisedName(kind: AlertKind): string {
  return `access.alert.${kind}`;
}

function seenName(kind: AlertKind): string {
  return `access.alert.${kind}.seen-clinician`;
}
