// The audit log as a clinician receives it, and the verifier that checks it anywhere (device,
// programmer, browser). The export carries each entry's canonical bytes, MAC tag and hash link,
// and the device's Ed25519 signature over the checkpoints and links. A verifier with the device's
// public key proves the export unaltered and complete from its first anchor, and names the first
// entry that is not; one holding the audit MAC key (the device itself) also checks every tag.
import { concatBytes, equalBytes, fromHex, isHexText, toHex, utf8, writeU32LE } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { ChainWalker, type ChainFault, checkpointTag, LINK_BYTES, TAG_BYTES } from './audit-chain.js';
import { type AuditEntry, decodeAuditEntry } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

export const AUDIT_EXPORT_FORMAT = 'implant-audit-export/1';

export interface ExportedCheckpoint {
  kind: 'rollover' | 'reanchor';
  firstSeq: number;
  prevLink: string;
  tag: string;
}

export interface ExportedEntry extends AuditEntry {
  /** Canonical entry bytes (hex): what the chain hashes. The readable fields must match them. */
  record: string;
  tag: string;
  link: string;
  /** The device verified this entry's MAC when it exported (false: forged, or after a break). */
  authentic: boolean;
}

export interface AuditExport {
  format: typeof AUDIT_EXPORT_FORMAT;
  /** Entries dropped by rollover before the first one here. */
  dropped: number;
  checkpoints: ExportedCheckpoint[];
  entries: ExportedEntry[];
  head: { seq: number; link: string };
  /** Ed25519 signature (hex) by the device identity key over exportDigest(); absent if unsigned. */
  signature?: string;
}

/** Builds the export from the log as stored; `sign` (the device identity key) signs its digest. */
export function exportAuditLog(log: AuditLog, crypto: CryptoProvider, sign?: (digest: Uint8Array) => Uint8Array): AuditExport {
  const { entries, checkpoints } = log.stored();
  const anchors = new Map<number, Uint8Array>();
  for (const checkpoint of checkpoints) anchors.set(checkpoint.firstSeq, checkpoint.prevLink);
  const walker = new ChainWalker(crypto, undefined, anchors);
  const out: AuditExport = {
    format: AUDIT_EXPORT_FORMAT,
    dropped: entries.length > 0 ? entries[0].entry.seq - 1 : log.lastSeq,
    checkpoints: checkpoints.map((c) => ({ kind: c.kind, firstSeq: c.firstSeq, prevLink: toHex(c.prevLink), tag: toHex(c.tag) })),
    entries: [],
    head: { seq: 0, link: '' },
  };
  for (const stored of entries) {
    walker.step(stored.entry.seq, stored.bytes, undefined);
    const link = walker.link ?? new Uint8Array(LINK_BYTES);
    out.entries.push({ ...stored.entry, record: toHex(stored.bytes), tag: toHex(stored.tag), link: toHex(link), authentic: stored.authentic });
  }
  const head = log.head;
  out.head = { seq: head.seq, link: toHex(head.link) };
  if (sign) out.signature = toHex(sign(exportDigest(crypto, out)));
  return out;
}

/**
 * What the device signs: SHA-256 over "implant-audit-export-v1", then per checkpoint its kind
 * (u8: 1 rollover, 2 reanchor), firstSeq (u32 LE), prevLink and tag, then per entry its seq
 * (u32 LE), link and authentic flag (u8 1/0), then the head seq (u32 LE) and link. Links
 * commit to the entry bytes.
 */
export function exportDigest(crypto: CryptoProvider, exported: AuditExport): Uint8Array {
  const parts: Uint8Array[] = [utf8('implant-audit-export-v1')];
  const u32 = (value: number): Uint8Array => {
    const out = new Uint8Array(4);
    writeU32LE(out, 0, value);
    return out;
  };
  for (const c of exported.checkpoints) parts.push(Uint8Array.of(c.kind === 'reanchor' ? 2 : 1), u32(c.firstSeq), fromHex(c.prevLink), fromHex(c.tag));
  for (const e of exported.entries) parts.push(u32(e.seq), fromHex(e.link), Uint8Array.of(e.authentic ? 1 : 0));
  parts.push(u32(exported.head.seq), fromHex(exported.head.link));
  return crypto.sha256(concatBytes(...parts));
}

export interface AuditVerifyOptions {
  crypto: CryptoProvider;
  /** The device's Ed25519 public key (from its certificate): checks the export's signature. */
  devicePublicKey?: Uint8Array;
  /** The device's audit MAC key, where it is known (on the device itself): checks every tag. */
  macKey?: Uint8Array;
}

export type AuditExportFault = ChainFault | 'fields' | 'head' | 'format';

export interface AuditVerifyResult {
  /** True only if nothing failed and the export is authenticated (signature or tags). */
  valid: boolean;
  signature: 'valid' | 'invalid' | 'absent' | 'not-checked';
  tags: 'valid' | 'invalid' | 'not-checked';
  /** The entries, decoded from their canonical bytes (not from the readable fields). */
  entries: AuditEntry[];
  /** The first entry that fails, with its index in `entries` of the export (-1 if not an entry). */
  firstBad?: { seq: number; index: number; fault: AuditExportFault };
  /** Entry numbers where the device restarted its chain after it found damage on its flash. */
  reanchoredAt: number[];
  dropped: number;
}

/** Verifies an export (any JSON value): never throws on bad input. */
export function verifyAuditExport(input: unknown, options: AuditVerifyOptions): AuditVerifyResult {
  const result: AuditVerifyResult = { valid: false, signature: 'absent', tags: 'not-checked', entries: [], reanchoredAt: [], dropped: 0 };
  const exported = parseExport(input);
  if (!exported) {
    result.firstBad = { seq: 0, index: -1, fault: 'format' };
    return result;
  }
  const { crypto, devicePublicKey, macKey } = options;
  result.dropped = exported.dropped;
  if (exported.signature === undefined) result.signature = 'absent';
  else if (!devicePublicKey) result.signature = 'not-checked';
  else result.signature = crypto.ed25519.verify(fromHex(exported.signature), exportDigest(crypto, exported), devicePublicKey) ? 'valid' : 'invalid';

  const anchors = new Map<number, Uint8Array>();
  let checkpointsOk = true;
  for (const c of exported.checkpoints) {
    const prevLink = fromHex(c.prevLink);
    if (macKey && !equalBytes(fromHex(c.tag), checkpointTag(crypto, macKey, c.firstSeq, prevLink))) checkpointsOk = false;
    else anchors.set(c.firstSeq, prevLink);
  }
  const walker = new ChainWalker(crypto, macKey, anchors);
  const fail = (seq: number, index: number, fault: AuditExportFault): void => {
    result.firstBad ??= { seq, index, fault };
  };
  exported.entries.forEach((e, index) => {
    const bytes = fromHex(e.record);
    const decoded = decodeAuditEntry(bytes);
    if (!decoded || !sameEntry(decoded, e)) fail(e.seq, index, decoded ? 'fields' : 'malformed');
    if (decoded) result.entries.push(decoded);
    const link = walker.step(decoded ? decoded.seq : e.seq, decoded ? bytes : undefined, fromHex(e.tag));
    if (walker.firstFault && !result.firstBad) fail(walker.firstFault.seq, walker.firstFault.seq === e.seq ? index : -1, walker.firstFault.fault);
    if (link && !equalBytes(link, fromHex(e.link))) fail(e.seq, index, 'link');
    if (!e.authentic) fail(e.seq, index, 'tag'); // the device itself found this entry's MAC wrong
  });
  const headLink = anchors.get(exported.head.seq + 1) ?? walker.link ?? (exported.head.seq === 0 ? new Uint8Array(LINK_BYTES) : undefined);
  const lastSeq = exported.entries.length > 0 ? exported.entries[exported.entries.length - 1].seq : exported.head.seq;
  if (exported.head.seq !== lastSeq || !headLink || !equalBytes(headLink, fromHex(exported.head.link))) fail(exported.head.seq, -1, 'head');
  result.reanchoredAt = walker.reanchoredAt;
  if (macKey) result.tags = checkpointsOk && !(result.firstBad && result.firstBad.fault === 'tag') ? 'valid' : 'invalid';
  const authenticated = result.signature === 'valid' || result.tags === 'valid';
  result.valid = authenticated && result.signature !== 'invalid' && result.tags !== 'invalid' && !result.firstBad;
  return result;
}

function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  return a.seq === b.seq && a.time === b.time && a.event === b.event && a.outcome === b.outcome
    && a.actor.role === b.actor?.role && a.actor.keyId === b.actor?.keyId && (a.detail ?? '') === (b.detail ?? '');
}

function isHex(value: unknown, bytes?: number): value is string {
  return typeof value === 'string' && value.length % 2 === 0 && isHexText(value, true) && (bytes === undefined || value.length === 2 * bytes);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** The export if its shape is right (types, hex lengths), else undefined. */
function parseExport(input: unknown): AuditExport | undefined {
  const x = input as Partial<AuditExport> | null;
  if (typeof x !== 'object' || x === null || x.format !== AUDIT_EXPORT_FORMAT || !isSeq(x.dropped)) return undefined;
  if (!Array.isArray(x.checkpoints) || !Array.isArray(x.entries) || typeof x.head !== 'object' || x.head === null) return undefined;
  if (!isSeq(x.head.seq) || !isHex(x.head.link, LINK_BYTES)) return undefined;
  if (x.signature !== undefined && !isHex(x.signature, 64)) return undefined;
  for (const c of x.checkpoints as unknown[]) {
    const cp = c as Partial<ExportedCheckpoint> | null;
    if (typeof cp !== 'object' || cp === null || (cp.kind !== 'rollover' && cp.kind !== 'reanchor') || !isSeq(cp.firstSeq)
      || !isHex(cp.prevLink, LINK_BYTES) || !isHex(cp.tag, TAG_BYTES)) return undefined;
  }
  for (const e of x.entries as unknown[]) {
    const en = e as Partial<ExportedEntry> | null;
    if (typeof en !== 'object' || en === null || !isSeq(en.seq) || !isHex(en.record) || !isHex(en.tag, TAG_BYTES) || !isHex(en.link, LINK_BYTES) || typeof en.authentic !== 'boolean') return undefined;
  }
  return x as AuditExport;
}
