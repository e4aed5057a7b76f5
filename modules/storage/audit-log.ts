// The audit log: append-only, hash-chained and MACed under the device's audit key (see
// audit-chain.ts), kept in its own SectorRing. When the ring is full the oldest sector's entries
// are dropped; the sector that takes over first records a checkpoint that anchors the oldest
// entry kept, so the remaining chain still verifies from a MACed starting point.
import { concatBytes } from '../core/bytes.js';
import type { FlashArea } from '../core/flash-area.js';
import type { CryptoProvider } from '../crypto/provider.js';
import {
  ChainWalker, CHECKPOINT_BYTES, type ChainFault, type Checkpoint, checkpointTag, decodeCheckpoint, encodeCheckpoint,
  entryTag, genesisLink, nextLink, TAG_BYTES,
} from './audit-chain.js';
import { type AuditEntry, type AuditEvent, cleanDetail, decodeAuditEntry, encodeAuditEntry } from './audit-entry.js';
import { StorageError } from './errors.js';
import { RecordKind, RingFormat, SectorRing, type RingMountReport, type RingRecord } from './sector-ring.js';

/** Checkpoint record keys: why the anchor was written. */
export const CheckpointKind = Object.freeze({ rollover: 1, reanchor: 2 });

export interface AuditMountReport {
  ring: RingMountReport;
  /** Entries kept, oldest and newest entry numbers (0 when empty). */
  entries: number;
  firstSeq: number;
  lastSeq: number;
  /** First place the chain failed to verify at this mount, if any. */
  fault?: { seq: number; fault: ChainFault };
  /** A new fault was found and the device re-anchored its chain (and logged 'audit.chain-broken'). */
  reanchored: boolean;
}

/** One stored entry with the values a verifier needs. */
export interface StoredAuditEntry {
  entry: AuditEntry;
  bytes: Uint8Array;
  tag: Uint8Array;
  /** Its MAC verified on the chain from an authentic anchor (false from a forged or lost entry on). */
  authentic: boolean;
}

export interface StoredCheckpoint extends Checkpoint {
  kind: 'rollover' | 'reanchor';
}

export class AuditLog {
  readonly report: AuditMountReport;
  private readonly ring: SectorRing;
  /** Authentic anchors by entry number. */
  private readonly anchors: Map<number, Uint8Array>;
  /** Per sector: its first entry and the link before it, the anchor it needs once older sectors go. */
  private readonly firstEntry: Array<{ seq: number; prevLink: Uint8Array } | undefined>;
  private headLink: Uint8Array;
  private nextSeq = 1;

  constructor(flash: FlashArea, private readonly crypto: CryptoProvider, private readonly key: Uint8Array, private readonly now: () => number) {
    this.ring = new SectorRing(flash, { format: RingFormat.audit });
    if (this.ring.sectors < 3) throw new StorageError('geometry', 'the audit log needs at least three erase blocks');
    this.anchors = new Map();
    this.firstEntry = [];
    for (let s = 0; s < this.ring.sectors; s++) this.firstEntry.push(undefined);
    this.headLink = genesisLink();
    const ring = this.ring.mount((record) => {
      if (record.kind === RecordKind.checkpoint) this.learnCheckpoint(record);
    });
    this.report = { ring, entries: 0, firstSeq: 0, lastSeq: 0, reanchored: false };
    this.replay();
  }

  /** Number of the newest entry (0 when the log is empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The newest entry number and the chain link after it (what the next entry chains to). */
  get head(): { seq: number; link: Uint8Array } {
    return { seq: this.nextSeq - 1, link: this.headLink.slice() };
  }

  /**
   * Appends an entry, chained to the previous one. Once this returns the entry survives any
   * power cut. Throws 'invalid' or 'too-large' for a malformed event (and logs nothing).
   */
  append(event: AuditEvent): AuditEntry {
    const clock = Math.floor(this.now());
    const entry: AuditEntry = { seq: this.nextSeq, time: Number.isSafeInteger(clock) && clock > 0 ? clock : 0, event: event.event, actor: { role: event.actor?.role, keyId: event.actor?.keyId }, outcome: event.outcome };
    if (event.detail !== undefined && event.detail !== '') entry.detail = cleanDetail(String(event.detail));
    const bytes = encodeAuditEntry(entry);
    const link = nextLink(this.crypto, this.headLink, bytes);
    const data = concatBytes(bytes, entryTag(this.crypto, this.key, link));
    if (!this.ring.fits(data.length)) this.rollover();
    const record = this.ring.append(RecordKind.entry, 0, data);
    this.firstEntry[record.sector] ??= { seq: entry.seq, prevLink: this.headLink };
    this.headLink = link;
    this.nextSeq++;
    return entry;
  }

  /** Every entry kept, oldest first, with what a verifier needs; damaged records are left out. */
  stored(): { entries: StoredAuditEntry[]; checkpoints: StoredCheckpoint[] } {
    const entries: StoredAuditEntry[] = [];
    const checkpoints: StoredCheckpoint[] = [];
    this.ring.walk((record) => {
      const data = this.readRecord(record);
      if (!data) return;
      if (record.kind === RecordKind.checkpoint) {
        const checkpoint = decodeCheckpoint(data);
        if (checkpoint) checkpoints.push({ ...checkpoint, kind: record.key === CheckpointKind.reanchor ? 'reanchor' : 'rollover' });
      } else if (record.kind === RecordKind.entry) {
        const bytes = data.subarray(0, data.length - TAG_BYTES);
        const entry = decodeAuditEntry(bytes);
        if (entry) entries.push({ entry, bytes, tag: data.slice(data.length - TAG_BYTES), authentic: false });
      }
    });
    const walker = new ChainWalker(this.crypto, this.key, this.anchors);
    for (const stored of entries) stored.authentic = walker.step(stored.entry.seq, stored.bytes, stored.tag) !== undefined;
    return { entries, checkpoints };
  }

  /** The entries kept, oldest first. */
  entries(): AuditEntry[] {
    return this.stored().entries.map((stored) => stored.entry);
  }

  /** Drops the oldest sector's entries, anchoring the oldest entry kept in the new sector. */
  private rollover(): void {
    this.ring.advance((target) => {
      // Once READY lands, the sector after `target` becomes the spare and its entries are gone.
      const dropped = this.ring.next(target);
      let anchor: { seq: number; prevLink: Uint8Array } | undefined;
      for (let s = this.ring.next(dropped); s !== target && !anchor; s = this.ring.next(s)) anchor = this.firstEntry[s];
      anchor ??= { seq: this.nextSeq, prevLink: this.headLink };
      this.writeCheckpoint(CheckpointKind.rollover, anchor.seq, anchor.prevLink);
    });
    this.firstEntry[this.ring.activeSector] = undefined;
    this.firstEntry[this.ring.next(this.ring.activeSector)] = undefined;
    for (const seq of [...this.anchors.keys()]) if (seq < this.oldestAnchor()) this.anchors.delete(seq);
  }

  private oldestAnchor(): number {
    let oldest = this.nextSeq;
    for (const info of this.firstEntry) if (info && info.seq < oldest) oldest = info.seq;
    return oldest;
  }

  private writeCheckpoint(kind: number, firstSeq: number, prevLink: Uint8Array): void {
    const checkpoint = { firstSeq, prevLink, tag: checkpointTag(this.crypto, this.key, firstSeq, prevLink) };
    this.ring.append(RecordKind.checkpoint, kind, encodeCheckpoint(checkpoint));
    this.anchors.set(firstSeq, prevLink);
  }

  private learnCheckpoint(record: RingRecord): void {
    const data = this.readRecord(record);
    const checkpoint = data && decodeCheckpoint(data);
    if (!checkpoint) return;
    const expected = checkpointTag(this.crypto, this.key, checkpoint.firstSeq, checkpoint.prevLink);
    if (expected.every((b, i) => b === checkpoint.tag[i])) this.anchors.set(checkpoint.firstSeq, checkpoint.prevLink);
  }

  private readRecord(record: RingRecord): Uint8Array | undefined {
    try {
      return this.ring.read(record);
    } catch (error) {
      if (error instanceof StorageError) return undefined;
      throw error;
    }
  }

  /** Verifies the chain as stored, sets the head, and re-anchors after a fault not seen before. */
  private replay(): void {
    const walker = new ChainWalker(this.crypto, this.key, this.anchors);
    let lastSeq = 0;
    let faultSinceAnchor = false;
    const report = this.report;
    this.ring.walk((record) => {
      if (record.kind !== RecordKind.entry) return;
      const data = this.readRecord(record);
      const bytes = data && data.subarray(0, data.length - TAG_BYTES);
      const entry = bytes && decodeAuditEntry(bytes);
      const seq = entry ? entry.seq : walker.expected;
      if (seq < lastSeq + 1 && entry) return; // a duplicate cannot chain; ignore it
      const prevLink = this.anchors.get(seq) ?? walker.link ?? (seq === 1 ? genesisLink() : undefined);
      if (this.anchors.has(seq)) faultSinceAnchor = false;
      const ok = walker.step(seq, entry ? bytes : undefined, data && data.slice(data.length - TAG_BYTES));
      if (!ok) faultSinceAnchor = true;
      if (prevLink && this.firstEntry[record.sector] === undefined) this.firstEntry[record.sector] = { seq, prevLink };
      if (report.firstSeq === 0) report.firstSeq = seq;
      report.entries++;
      lastSeq = Math.max(lastSeq, seq);
    });
    // Anchors beyond the last entry (a re-anchor with no entry after it yet) set the head too.
    let head = walker.link;
    for (const [seq, link] of this.anchors) {
      if (seq > lastSeq) {
        lastSeq = seq - 1;
        head = link;
        faultSinceAnchor = false;
      }
    }
    this.nextSeq = lastSeq + 1;
    this.headLink = head ?? genesisLink();
    report.lastSeq = lastSeq;
    report.fault = walker.firstFault;
    if (walker.firstFault && faultSinceAnchor) {
      if (!this.ring.fits(CHECKPOINT_BYTES)) this.rollover();
      this.writeCheckpoint(CheckpointKind.reanchor, this.nextSeq, this.headLink);
      report.reanchored = true;
      this.append({
        event: 'audit.chain-broken',
        actor: { role: 'device', keyId: '' },
        outcome: 'detected',
        detail: `first fault at entry ${walker.firstFault.seq}: ${walker.firstFault.fault}; chain re-anchored at entry ${this.nextSeq}`,
      });
    }
  }
}
