// The boot state as the running firmware sees and changes it. Two implementations: over our
// own boot record (FlashBootControl: the nRF52 raw-flash layout and the host simulation) and
// over ESP-IDF's otadata with app rollback (device-esp32-boot.ts).
import type { BootNote, BootRecordStore, Slot } from './boot-record.js';

export interface BootStatus {
  /** The bank the CPU runs now. */
  readonly running: Slot;
  /** The running image is on trial: it must pass its self-test and confirm, or it will be reverted. */
  readonly trial: boolean;
  /** A bank activated for a trial at the next reset, if any. */
  readonly pending: Slot | undefined;
}

export type TrialRevertReason = Extract<BootNote, 'self-test-failed' | 'confirm-timeout' | 'candidate-invalid'>;

export interface BootControl {
  status(): BootStatus;
  /** Asks the bootloader to try `slot` once at the next reset. */
  requestTrial(slot: Slot): void;
  /** Makes the running trial image the confirmed one. */
  confirm(): void;
  /** Gives up the running trial image: the confirmed one runs after the next reset. */
  revert(reason: TrialRevertReason): void;
  /**
   * Withdraws an activation that no bootloader acted on: the image started with a trial still
   * pending (an nRF52 without a stage-2 bootloader). Absent where the bootloader always acts.
   */
  cancelPending?(): void;
}

export class FlashBootControl implements BootControl {
  constructor(private readonly records: BootRecordStore) {}

  status(): BootStatus {
    const r = this.records.read();
    return {
      running: r.state === 'trying' ? r.trial : r.confirmed,
      trial: r.state === 'trying',
      pending: r.state === 'pending' ? r.trial : undefined,
    };
  }

  requestTrial(slot: Slot): void {
    const r = this.records.read();
    if (r.state !== 'confirmed' || slot === r.confirmed) throw new Error('a trial needs a confirmed running image and the other bank');
    this.records.write({ state: 'pending', confirmed: r.confirmed, trial: slot, note: 'activated' });
  }

  confirm(): void {
    const r = this.records.read();
    if (r.state !== 'trying') throw new Error('nothing on trial');
    this.records.write({ state: 'confirmed', confirmed: r.trial, trial: r.trial, note: 'confirmed' });
  }

  revert(reason: TrialRevertReason): void {
    const r = this.records.read();
    if (r.state !== 'trying') throw new Error('nothing on trial');
    this.records.write({ state: 'confirmed', confirmed: r.confirmed, trial: r.confirmed, note: reason });
  }

  cancelPending(): void {
    const r = this.records.read();
    if (r.state !== 'pending') throw new Error('nothing pending');
    this.records.write({ state: 'confirmed', confirmed: r.confirmed, trial: r.confirmed, note: 'candidate-invalid' });
  }
}
