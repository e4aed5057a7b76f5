// What access control needs from the rest of the firmware, as small interfaces. Storage
// (modules/storage) provides the persistent ones; device adapters feed presence and tamper.
// Keeping them here lets this concern run and be tested against in-memory fakes.

/** Named counters that never go backwards, across any power cut (storage's monotonic counters). */
export interface CounterStore {
  /** Current value; 0 for a counter never written. */
  read(name: string): number;
  /** Raises the counter to `value`; a value at or below the current one changes nothing. */
  raise(name: string, value: number): void;
}

/** One bonded phone: its Noise static key pinned at pairing. */
export interface Bond {
  readonly keyId: Uint8Array;
  readonly staticKey: Uint8Array;
  /** Trusted device time of bonding, in seconds since the Unix epoch; 0 when the clock was unknown. */
  readonly bondedAt: number;
  /** This phone's acknowledged alerts: for each kind of alerts.ts ALERT_KINDS, the raise count it has seen. */
  readonly alertsSeen?: readonly number[];
}

/** Bonds kept sealed under the device key (storage). */
export interface BondStore {
  list(): Bond[];
  /** Adds the bond, or replaces the one with the same key id. */
  add(bond: Bond): void;
  /** Returns false when no bond has this key id. */
  remove(keyId: Uint8Array): boolean;
}

/** The device's own identity (X25519 Noise static key pair) and its certificate. */
export interface DeviceIdentity {
  readonly staticSecret: Uint8Array;
  readonly staticPublic: Uint8Array;
  /** The Bluetooth identity resolving key (16 bytes): the radio's resolvable private addresses are made with it (docs/privacy.md). */
  readonly irk: Uint8Array;
  /** COSE_Sign1 device certificate from a manufacturer root; absent until provisioned. */
  readonly certificate?: Uint8Array;
}

/** An identity as stored: one written before the IRK existed has none (the identity service adds it). */
export type StoredIdentity = Omit<DeviceIdentity, 'irk'> & { readonly irk?: Uint8Array };

/** Sealed storage of the device identity (storage). */
export interface IdentityStore {
  load(): StoredIdentity | undefined;
  save(identity: DeviceIdentity): void;
}

/** The part of the trust anchors that a signed trust update may change (storage). */
export interface TrustState {
  /** Sequence number of the trust update that produced this state (0 = built-in). */
  readonly sequence: number;
  /** Public key of the rotation slot (slot 1), if one was installed. */
  readonly rotationRoot?: Uint8Array;
  /** Key ids (8 bytes) of revoked roots and revoked certificate subjects. */
  readonly revoked: readonly Uint8Array[];
}

/** What loading the trust state found (see TrustStateStore.load). */
export type TrustStateLoad = TrustState | undefined | 'damaged';

export interface TrustStateStore {
  /**
   * The saved state; undefined when no trust update was ever applied; 'damaged' when one was and
   * its record is missing, does not open or parse, or is older than the last one applied.
   */
  load(): TrustStateLoad;
  save(state: TrustState): void;
}

/** One entry for the hash-chained audit log (storage). */
export interface AccessAuditEvent {
  /** What happened, e.g. 'auth.ok', 'auth.fail', 'command', 'denied', 'pairing.open'. */
  readonly type: string;
  /** Role of the actor, or 'none' before authentication. */
  readonly role: string;
  /** Key id of the actor when known. */
  readonly keyId?: Uint8Array;
  /** Command name or other subject of the event. */
  readonly subject?: string;
  /** Status code of the outcome (0 = OK). */
  readonly outcome: number;
}

export interface AuditSink {
  append(event: AccessAuditEvent): void;
}

/** Export of the audit log for a clinician (storage's exporter; entries verify with its verifier). */
export interface AuditReader {
  /** Sequence number of the oldest entry still held, and one past the newest. */
  range(): { readonly first: number; readonly next: number };
  /** Encoded entries with sequence numbers in [from, from + count), oldest first. */
  read(from: number, count: number): Uint8Array[];
}
