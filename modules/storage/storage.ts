// Opens everything persistent at boot, in one place: the record store and its typed stores, and
// the audit log, keyed from the device secret. What recovery found (torn writes, damaged
// records, a broken chain) goes into the audit log before anyone else writes to it.
// Used from the main machine only: therapy never waits on flash.
import type { FlashArea } from '../core/flash-area.js';
import type { CryptoProvider } from '../crypto/provider.js';
import type { AuditEvent } from './audit-entry.js';
import { type AuditExport, exportAuditLog } from './audit-export.js';
import { AuditLog, type AuditMountReport } from './audit-log.js';
import { Counters } from './counters.js';
import { type DeviceKeys, deriveDeviceKeys, loadOrCreateDeviceSecret } from './device-keys.js';
import { IdentityStore } from './identity-store.js';
import { type ParamsCodec, ParamsStore } from './params-store.js';
import { RecordKeys } from './record-keys.js';
import { RecordStore, type RecordStoreOptions } from './record-store.js';
import { SealedCollection } from './sealed-collection.js';
import { Sealer } from './sealer.js';
import type { RingMountReport } from './sector-ring.js';

export interface StorageAreas {
  /** Erase blocks for the record store (at least 2; 4 or more recommended). */
  records: FlashArea;
  /** Erase blocks for the audit log (at least 3). */
  audit: FlashArea;
}

export interface StorageOptions {
  crypto: CryptoProvider;
  /** Wall-clock time for audit entries, ms since the Unix epoch; 0 while the clock is unknown. */
  now: () => number;
  /**
   * The 32-byte device secret from hardware (secure element, eFuse-backed key). Omitted on a dev
   * board: a random secret is then kept in the record store (see docs/storage.md).
   */
  deviceSecret?: Uint8Array;
  /** Most bonds kept (default 8) and most sealed secrets (default 8). */
  maxBonds?: number;
  maxSecrets?: number;
  records?: RecordStoreOptions;
}

export interface StorageBootReport {
  records: RingMountReport;
  audit: AuditMountReport;
  /** A dev-board secret was generated at this boot (first boot, or its records were lost). */
  secretCreated: boolean;
  /** Bond and secret slots whose record did not open. */
  damagedBonds: number[];
  damagedSecrets: number[];
}

const DEVICE = Object.freeze({ role: 'device', keyId: '' });

export class Storage {
  readonly records: RecordStore;
  readonly counters: Counters;
  /** Bonded peers (id: the peer's key id; value: the bond as the access module encodes it). */
  readonly bonds: SealedCollection;
  /** Other secret keys by name (the device's static private key, ...). */
  readonly secrets: SealedCollection;
  readonly identity: IdentityStore;
  readonly audit: AuditLog;
  readonly report: StorageBootReport;
  private readonly sealer: Sealer;

  constructor(areas: StorageAreas, private readonly options: StorageOptions) {
    const { crypto } = options;
    this.records = new RecordStore(areas.records, options.records);
    let secretCreated = false;
    let secret = options.deviceSecret;
    if (!secret) ({ secret, created: secretCreated } = loadOrCreateDeviceSecret(this.records, crypto));
    const keys: DeviceKeys = deriveDeviceKeys(crypto, secret);
    this.sealer = new Sealer(crypto, keys.seal);
    this.audit = new AuditLog(areas.audit, crypto, keys.audit, options.now);
    this.counters = new Counters(this.records);
    this.bonds = new SealedCollection(this.records, this.sealer, RecordKeys.bonds, options.maxBonds ?? 8);
    this.secrets = new SealedCollection(this.records, this.sealer, RecordKeys.secrets, options.maxSecrets ?? 8);
    this.identity = new IdentityStore(this.records, this.sealer);
    this.report = {
      records: this.records.report,
      audit: this.audit.report,
      secretCreated,
      damagedBonds: this.bonds.damagedSlots.slice(),
      damagedSecrets: this.secrets.damagedSlots.slice(),
    };
    this.logRecovery();
  }

  /** The therapy parameters (or, under another record key, a setting that goes with them), validated by the therapy side's codec. */
  params<T>(codec: ParamsCodec<T>, key: number = RecordKeys.params): ParamsStore<T> {
    return new ParamsStore(this.records, this.sealer, codec, key);
  }

  /** Appends to the audit log (shorthand for `audit.append`). */
  log(event: AuditEvent): void {
    this.audit.append(event);
  }

  /** The audit log for a clinician, signed with the device identity key if `sign` is given. */
  exportAudit(sign?: (digest: Uint8Array) => Uint8Array): AuditExport {
    return exportAuditLog(this.audit, this.options.crypto, sign);
  }

  private logRecovery(): void {
    const { records, audit, secretCreated, damagedBonds, damagedSecrets } = this.report;
    const areas: Array<[string, RingMountReport]> = [['records', records], ['audit', audit.ring]];
    for (const [name, ring] of areas) {
      if (ring.fresh) this.log({ event: 'storage.format', actor: DEVICE, outcome: ring.unreadableSectors.length ? 'corrupt' : 'ok', detail: `${name}: initialised${ring.unreadableSectors.length ? `; unreadable sectors ${ring.unreadableSectors.join(',')}` : ''}` });
      if (ring.tornTail) this.log({ event: 'storage.recovered', actor: DEVICE, outcome: 'ok', detail: `${name}: an interrupted write was discarded` });
      if (ring.corruptSlots.length) this.log({ event: 'storage.corrupt', actor: DEVICE, outcome: 'detected', detail: `${name}: ${ring.corruptSlots.length} damaged records at ${ring.corruptSlots.slice(0, 8).map((c) => `${c.sector}:${c.slot}`).join(' ')}` });
    }
    if (secretCreated && !records.fresh) this.log({ event: 'storage.secret-created', actor: DEVICE, outcome: 'corrupt', detail: 'device secret missing; sealed records from before are unreadable' });
    if (damagedBonds.length || damagedSecrets.length) this.log({ event: 'storage.corrupt', actor: DEVICE, outcome: 'detected', detail: `sealed slots that do not open: bonds ${damagedBonds.join(',') || '-'}; secrets ${damagedSecrets.join(',') || '-'}` });
  }
}

/** Opens storage at boot (mount, recovery, audit of what recovery found). */
export function openStorage(areas: StorageAreas, options: StorageOptions): Storage {
  return new Storage(areas, options);
}
