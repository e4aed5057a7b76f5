// The audit chain, shared by the device (which holds the MAC key) and any verifier:
//   link(0)   = 32 zero bytes, before entry 1
//   link(i)   = SHA-256(link(i-1) || entry bytes(i))                  (public: order, completeness)
//   tag(i)    = HMAC-SHA256(K, 0x01 || link(i)), first 16 bytes      (keyed: only the device)
//   checkpoint(f, p) anchors entry f on link p when older entries are gone;
//   its tag   = HMAC-SHA256(K, 0x02 || f as u32 LE || p), first 16 bytes.
// @req SEC-13 (docs/traceability.md)
import { concatBytes, equalBytes, readU32LE, writeU32LE } from '../core/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';

export const LINK_BYTES = 32;
export const TAG_BYTES = 16;
/** A checkpoint record: firstSeq u32 LE | prevLink (32) | tag (16). */
export const CHECKPOINT_BYTES = 4 + LINK_BYTES + TAG_BYTES;

export interface Checkpoint {
  firstSeq: number;
  prevLink: Uint8Array;
  tag: Uint8Array;
}

export type ChainFault =
  /** An entry the chain expects is not there (erased, rotted, or cut out). */
  | 'missing'
  /** The entry's bytes are not a valid encoding. */
  | 'malformed'
  /** The entry's MAC does not match: altered or forged. */
  | 'tag'
  /** The entry's hash link differs from the one the device signed: altered after export. */
  | 'link'
  /** The oldest entry kept has no checkpoint to start the chain from. */
  | 'unanchored';

export function genesisLink(): Uint8Array {
  return new Uint8Array(LINK_BYTES);
}

export function nextLink(crypto: CryptoProvider, link: Uint8Array, entryBytes: Uint8Array): Uint8Array {
  return crypto.sha256(concatBytes(link, entryBytes));
}

export function entryTag(crypto: CryptoProvider, key: Uint8Array, link: Uint8Array): Uint8Array {
  return crypto.hmacSha256(key, concatBytes(Uint8Array.of(1), link)).slice(0, TAG_BYTES);
}

export function checkpointTag(crypto: CryptoProvider, key: Uint8Array, firstSeq: number, prevLink: Uint8Array): Uint8Array {
  const seq = new Uint8Array(4);
  writeU32LE(seq, 0, firstSeq);
  return crypto.hmacSha256(key, concatBytes(Uint8Array.of(2), seq, prevLink)).slice(0, TAG_BYTES);
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const out = new Uint8Array(CHECKPOINT_BYTES);
  writeU32LE(out, 0, checkpoint.firstSeq);
  out.set(checkpoint.prevLink, 4);
  out.set(checkpoint.tag, 4 + LINK_BYTES);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint | undefined {
  if (bytes.length !== CHECKPOINT_BYTES) return undefined;
  return { firstSeq: readU32LE(bytes, 0), prevLink: bytes.slice(4, 4 + LINK_BYTES), tag: bytes.slice(4 + LINK_BYTES) };
}

/**
 * Walks entries in order and says where the chain first fails. Anchors (checkpoints already
 * found authentic) restart the chain at their entry; a restart over a link that disagrees marks
 * a break the device has re-anchored. With no MAC key it checks links only (the export path,
 * where the device's signature vouches for the links).
 */
export class ChainWalker {
  link: Uint8Array | undefined;
  expected = 0;
  firstFault: { seq: number; fault: ChainFault } | undefined;
  /** Entry numbers where an anchor restarted the chain over a different link. */
  readonly reanchoredAt: number[] = [];

  constructor(
    private readonly crypto: CryptoProvider,
    private readonly key: Uint8Array | undefined,
    private readonly anchors: Map<number, Uint8Array>,
  ) {}

  /** Feeds the next entry; returns its link, or undefined when it does not verify. */
  step(seq: number, entryBytes: Uint8Array | undefined, tag: Uint8Array | undefined): Uint8Array | undefined {
    const anchor = this.anchors.get(seq);
    if (anchor) {
      if (this.link && !equalBytes(this.link, anchor)) this.reanchoredAt.push(seq);
      this.link = anchor;
      this.expected = seq;
    } else if (!this.link) {
      if (seq !== 1) return this.fail(seq, 'unanchored');
      this.link = genesisLink();
      this.expected = 1;
    }
    if (seq !== this.expected) {
      const missing = this.expected;
      this.expected = seq + 1;
      this.link = undefined; // the chain cannot continue past a hole until an anchor restarts it
      return this.fail(missing, 'missing');
    }
    this.expected = seq + 1;
    if (!entryBytes) return this.fail(seq, 'malformed');
    const link = nextLink(this.crypto, this.link, entryBytes);
    this.link = link;
    if (this.key && (!tag || !equalBytes(tag, entryTag(this.crypto, this.key, link)))) return this.fail(seq, 'tag');
    return link;
  }

  /** Records a fault found by the caller (a link that differs from the signed one). */
  fail(seq: number, fault: ChainFault): undefined {
    if (!this.firstFault) this.firstFault = { seq, fault };
    return undefined;
  }
}
