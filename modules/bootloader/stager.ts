// Writes one transfer's image into the inactive bank while hashing it. Bytes gather in a
// one-erase-block RAM buffer; a full block is erased, programmed in one operation and fed to
// the SHA-256 stream, so the digest is known the moment the last byte lands (no second pass).
// Progress marks in the trailer make committed segments survive a reboot; after one, the
// durable prefix is hashed again from flash once, since a hash state cannot be saved.
import { equalBytes } from '../core/bytes.js';
import type { FlashArea } from '../core/flash-area.js';
import type { CryptoProvider, HashStream } from '../crypto/provider.js';
import { UpdateError } from './errors.js';
import { type BankLayout, segmentBytes } from './layout.js';
import type { Manifest } from './manifest.js';
import { BankTrailer } from './trailer.js';

export interface ChunkResult {
  /** Every byte below this offset is programmed and hashed. */
  readonly committed: number;
  /** The whole image arrived and matched the manifest's digest; the bank is staged. */
  readonly complete: boolean;
}

export class Stager {
  private readonly buffer: Uint8Array;
  private fill = 0;
  private done = false;

  private constructor(
    private readonly bank: FlashArea,
    private readonly layout: BankLayout,
    private readonly trailer: BankTrailer,
    readonly manifest: Manifest,
    private readonly hash: HashStream,
    private committedBytes: number,
  ) {
    this.buffer = new Uint8Array(layout.eraseSize);
  }

  /** Starts a fresh transfer: the trailer is erased and records `manifestBytes`. */
  static start(bank: FlashArea, layout: BankLayout, crypto: CryptoProvider, manifest: Manifest, manifestBytes: Uint8Array): Stager {
    const trailer = new BankTrailer(bank, layout);
    trailer.begin(manifestBytes);
    return new Stager(bank, layout, trailer, manifest, crypto.sha256Stream(), 0);
  }

  /** Continues the transfer the trailer records, from its last durable segment. */
  static resume(bank: FlashArea, layout: BankLayout, crypto: CryptoProvider, manifest: Manifest, segmentsDone: number): Stager {
    const durable = Math.min(segmentsDone * segmentBytes(layout), manifest.imageSize);
    const hash = crypto.sha256Stream();
    for (let offset = 0; offset < durable; offset += layout.eraseSize) {
      hash.update(bank.read(offset, Math.min(layout.eraseSize, durable - offset)));
    }
    const stager = new Stager(bank, layout, new BankTrailer(bank, layout), manifest, hash, durable);
    // Power failed between the last segment mark and the "complete" mark: settle it now.
    if (durable === manifest.imageSize) stager.finish();
    return stager;
  }

  /** The next offset the stager expects. */
  get offset(): number {
    return this.committedBytes + this.fill;
  }

  get committed(): number {
    return this.committedBytes;
  }

  get complete(): boolean {
    return this.done;
  }

  /** Forgets bytes received but not yet committed, so a resumed sender restarts at `committed`. */
  rewind(): void {
    this.fill = 0;
  }

  /**
   * Takes the bytes at `offset`. A chunk wholly below the expected offset is a harmless repeat
   * (a resend after a lost acknowledgement) and is ignored.
   */
  write(offset: number, data: Uint8Array): ChunkResult {
    const size = this.manifest.imageSize;
    if (this.done) {
      if (offset + data.length <= size) return this.result();
      throw new UpdateError('extra-bytes', 'the image is already complete');
    }
    if (offset + data.length <= this.offset && data.length > 0) return this.result();
    if (offset !== this.offset) throw new UpdateError('bad-offset', `expected ${this.offset}, got ${offset}`);
    if (offset + data.length > size) throw new UpdateError('extra-bytes', `${offset + data.length - size} bytes past the image`);
    let taken = 0;
    while (taken < data.length) {
      const n = Math.min(data.length - taken, this.buffer.length - this.fill);
      this.buffer.set(data.subarray(taken, taken + n), this.fill);
      this.fill += n;
      taken += n;
      if (this.fill === this.buffer.length || this.offset === size) this.commitBlock();
    }
    return this.result();
  }

  private result(): ChunkResult {
    return { committed: this.committedBytes, complete: this.done };
  }

  private commitBlock(): void {
    const { eraseSize, writeSize, blocksPerSegment } = this.layout;
    const block = this.committedBytes / eraseSize;
    const data = this.buffer.subarray(0, this.fill);
    const padded = new Uint8Array(Math.ceil(this.fill / writeSize) * writeSize).fill(0xff);
    padded.set(data);
    this.bank.eraseBlock(block);
    this.bank.program(this.committedBytes, padded);
    this.hash.update(data);
    this.committedBytes += this.fill;
    this.fill = 0;
    const last = this.committedBytes === this.manifest.imageSize;
    if ((block + 1) % blocksPerSegment === 0 || last) this.trailer.markSegment(Math.floor(block / blocksPerSegment));
    if (last) this.finish();
  }

  private finish(): void {
    if (!equalBytes(this.hash.digest(), this.manifest.imageDigest)) {
      this.trailer.clear(); // never resumable, never bootable
      throw new UpdateError('digest-mismatch');
    }
    this.trailer.markComplete();
    this.done = true;
  }
}
