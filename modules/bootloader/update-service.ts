// The device side of an update: begin (manifest first, verified before any image byte is
// taken), chunks at offsets with acknowledgements, resume keyed by the image digest, abort,
// and activation with the version and counter checked once more. Every refusal throws an
// UpdateError before any state changes; flash faults abandon the transfer in RAM only.
import { equalBytes } from '../core/bytes.js';
import type { Clock } from '../core/clock.js';
import { FlashError, type FlashArea } from '../core/flash-area.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { admitManifest, type DeviceFacts } from './admission.js';
import type { Slot } from './boot-record.js';
import type { BootControl } from './boot-control.js';
import { UpdateError } from './errors.js';
import { bankLayout, type BankLayout } from './layout.js';
import type { Version } from './manifest.js';
import { openManifest, type KeyLookup, type OpenedManifest } from './signed-manifest.js';
import type { SecurityCounter } from './security-counter.js';
import { Stager, type ChunkResult } from './stager.js';
import { BankTrailer } from './trailer.js';

/** The only role that may update firmware (docs/access-control.md). */
export const UPDATE_ROLE = 'manufacturer';
/** Time between the activation reply and the restart, so the reply can reach the programmer. */
export const RESTART_DELAY_MS = 500;

export type UpdateEventType = 'begin' | 'resume' | 'staged' | 'rejected' | 'aborted' | 'activated' | 'confirmed' | 'reverted';

export interface UpdateEvent {
  readonly type: UpdateEventType;
  /** The UpdateError code or the boot note that explains the event. */
  readonly reason?: string;
  readonly version?: Version;
  readonly securityCounter?: number;
}

export interface UpdatePlatform {
  readonly banks: readonly [FlashArea, FlashArea];
  readonly boot: BootControl;
  readonly restart: () => void;
}

export interface UpdateServiceOptions {
  readonly crypto: CryptoProvider;
  readonly keys: KeyLookup;
  readonly vendorId: Uint8Array;
  readonly classId: Uint8Array;
  readonly platform: UpdatePlatform;
  /** The running image's verified manifest (runningManifest() at start-up); undefined for an unsigned development image. */
  readonly running: OpenedManifest | undefined;
  readonly counter: SecurityCounter;
  readonly clock: Clock;
  /** Trusted Unix time in seconds, or undefined while unknown (modules/access TrustedTime). */
  readonly time: () => number | undefined;
  readonly onEvent?: (event: UpdateEvent) => void;
}

export type TransferState = 'idle' | 'receiving' | 'staged' | 'pending' | 'trial';

export interface TransferStatus {
  readonly state: TransferState;
  readonly offset: number;
  readonly size: number;
  readonly digest: Uint8Array | undefined;
  readonly version: Version | undefined;
  readonly runningVersion: Version;
}

export interface BeginResult {
  /** Offset to send from: 0 for a new transfer, the committed offset for a resumed one. */
  readonly offset: number;
  readonly size: number;
  readonly complete: boolean;
  /** Bytes the programmer may send beyond the last acknowledged offset. */
  readonly window: number;
}

export class UpdateService {
  private readonly layouts: readonly [BankLayout, BankLayout];
  private transfer: { stager: Stager; opened: OpenedManifest } | undefined;

  constructor(private readonly o: UpdateServiceOptions) {
    this.layouts = [bankLayout(o.platform.banks[0]), bankLayout(o.platform.banks[1])];
  }

  /** The lowest security counter acceptable: the stored one, or the confirmed running image's if higher. */
  counterFloor(): number {
    const stored = this.o.counter.read();
    const boot = this.o.platform.boot.status();
    const running = boot.trial ? undefined : this.runningManifest();
    return Math.max(stored, running?.manifest.securityCounter ?? 0);
  }

  begin(role: string, manifestBytes: Uint8Array): BeginResult {
    return this.guard(() => {
      this.checkRole(role);
      this.checkIdle();
      const opened = openManifest(this.o.crypto, manifestBytes, this.o.keys);
      admitManifest(opened.manifest, this.facts());
      const slot = this.inactive();
      const bank = this.o.platform.banks[slot], layout = this.layouts[slot];
      // A transfer is identified by its signed manifest, and so by the image digest it carries.
      if (this.transfer && equalBytes(this.transfer.opened.bytes, opened.bytes)) {
        this.transfer.stager.rewind();
        this.emit('resume', opened);
      } else {
        const recorded = new BankTrailer(bank, layout).read();
        const resumable = recorded.manifest !== undefined && equalBytes(recorded.manifest, opened.bytes);
        this.transfer = undefined;
        const stager = resumable
          ? Stager.resume(bank, layout, this.o.crypto, opened.manifest, recorded.segmentsDone)
          : Stager.start(bank, layout, this.o.crypto, opened.manifest, opened.bytes);
        this.transfer = { stager, opened };
        this.emit(resumable ? 'resume' : 'begin', opened);
        if (stager.complete) this.emit('staged', opened);
      }
      const { stager } = this.transfer;
      return { offset: stager.committed, size: opened.manifest.imageSize, complete: stager.complete, window: 2 * layout.eraseSize };
    });
  }

  /** One chunk from the OTA data characteristic, already decrypted and authenticated by the session. */
  chunk(role: string, offset: number, data: Uint8Array): ChunkResult {
    return this.guard(() => {
      this.checkRole(role);
      const transfer = this.transfer;
      if (!transfer) throw new UpdateError('manifest-not-first', 'no verified manifest for these image bytes');
      const wasComplete = transfer.stager.complete;
      try {
        const result = transfer.stager.write(offset, data);
        if (result.complete && !wasComplete) this.emit('staged', transfer.opened);
        return result;
      } catch (error) {
        if (error instanceof UpdateError && error.code === 'digest-mismatch') this.transfer = undefined;
        throw error;
      }
    });
  }

  status(): TransferStatus {
    const boot = this.o.platform.boot.status();
    const t = this.transfer;
    const state: TransferState = boot.trial ? 'trial' : boot.pending !== undefined ? 'pending' : !t ? 'idle' : t.stager.complete ? 'staged' : 'receiving';
    return {
      state,
      offset: t?.stager.committed ?? 0,
      size: t?.opened.manifest.imageSize ?? 0,
      digest: t?.opened.manifest.imageDigest,
      version: t?.opened.manifest.version,
      runningVersion: this.runningVersion(),
    };
  }

  /** Drops the transfer and forgets the staged bank; the running image is not touched. */
  abort(role: string): void {
    this.guard(() => {
      this.checkRole(role);
      this.checkIdle();
      const slot = this.inactive();
      this.transfer = undefined;
      new BankTrailer(this.o.platform.banks[slot], this.layouts[slot]).clear();
      this.o.onEvent?.({ type: 'aborted' });
    });
  }

  /**
   * Re-verifies the staged manifest with today's keys, counter, version and time, then asks for
   * a trial boot and restarts shortly after.
   */
  activate(role: string): Version {
    return this.guard(() => {
      this.checkRole(role);
      this.checkIdle();
      const slot = this.inactive();
      const recorded = new BankTrailer(this.o.platform.banks[slot], this.layouts[slot]).read();
      if (!recorded.manifest) throw new UpdateError('not-staged');
      // A transfer that stopped short: the package as received is truncated.
      if (!recorded.complete) throw new UpdateError('truncated', `${this.transfer?.stager.committed ?? 'part'} of the image bytes`);
      const opened = openManifest(this.o.crypto, recorded.manifest, this.o.keys);
      admitManifest(opened.manifest, this.facts());
      this.o.platform.boot.requestTrial(slot);
      this.transfer = undefined;
      this.emit('activated', opened);
      this.o.clock.setTimeout(() => this.o.platform.restart(), RESTART_DELAY_MS);
      return opened.manifest.version;
    });
  }

  private facts(): DeviceFacts {
    const slot = this.inactive();
    return {
      vendorId: this.o.vendorId,
      classId: this.o.classId,
      maxImageSize: this.layouts[slot].maxImageSize,
      counterFloor: this.counterFloor(),
      runningVersion: this.runningVersion(),
      now: this.o.time(),
    };
  }

  private runningManifest(): OpenedManifest | undefined {
    return this.o.running;
  }

  /** An image without a trailer (flashed over USB in development) counts as version 0.0.0. */
  private runningVersion(): Version {
    return this.runningManifest()?.manifest.version ?? [0, 0, 0];
  }

  private inactive(): Slot {
    return (1 - this.o.platform.boot.status().running) as Slot;
  }

  private checkRole(role: string): void {
    if (role !== UPDATE_ROLE) throw new UpdateError('wrong-role');
  }

  private checkIdle(): void {
    const boot = this.o.platform.boot.status();
    if (boot.trial) throw new UpdateError('trial-in-progress');
    if (boot.pending !== undefined) throw new UpdateError('update-pending');
  }

  private emit(type: UpdateEventType, opened: OpenedManifest): void {
    this.o.onEvent?.({ type, version: opened.manifest.version, securityCounter: opened.manifest.securityCounter });
  }

  /** Runs `fn`; a flash fault drops the RAM transfer (the trailer tells where to resume) and becomes UpdateError('flash'). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof UpdateError) {
        this.o.onEvent?.({ type: 'rejected', reason: error.code });
        throw error;
      }
      if (error instanceof FlashError) {
        this.transfer = undefined;
        this.o.onEvent?.({ type: 'rejected', reason: 'flash' });
        throw new UpdateError('flash', error.message);
      }
      throw error;
    }
  }
}
