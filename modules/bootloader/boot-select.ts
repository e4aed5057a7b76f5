// The bootloader's decision at every reset, over our boot record (MCUboot's test/confirm/revert
// in A/B form, without a swap): try a pending bank once, revert a trial that reset before it
// confirmed, and never boot an image that fails verification or sits below the security
// counter. Each branch writes at most one record, so a power cut mid-decision only repeats it.
import type { BootNote, BootRecord, BootRecordStore, Slot } from './boot-record.js';
import { compareVersions } from './manifest.js';
import type { OpenedManifest } from './signed-manifest.js';

export interface BootChoice {
  /** The bank to run, or undefined when no bank holds a bootable image (the device is bricked). */
  readonly slot: Slot | undefined;
  readonly trial: boolean;
  /** What this reset decided, for the audit log ('none' on an ordinary boot). */
  readonly note: BootNote | 'fallback';
  readonly manifest: OpenedManifest | undefined;
}

/**
 * @param inspect fully verifies a bank (trailer complete, signature, digest in flash)
 * @param counter the stored security counter: no image below it boots
 */
export function selectBoot(records: BootRecordStore, inspect: (slot: Slot) => OpenedManifest | undefined, counter: number): BootChoice {
  const bootable = (slot: Slot): OpenedManifest | undefined => {
    const m = inspect(slot);
    return m && m.manifest.securityCounter >= counter ? m : undefined;
  };
  let r: BootRecord = records.read();
  let note: BootChoice['note'] = 'none';
  if (r.seq === 0) r = { ...r, confirmed: oldestBootable(bootable) };
  if (r.state === 'pending') {
    const candidate = bootable(r.trial);
    if (candidate) {
      records.write({ state: 'trying', confirmed: r.confirmed, trial: r.trial, note: 'trial-started' });
      return { slot: r.trial, trial: true, note: 'trial-started', manifest: candidate };
    }
    r = records.write({ state: 'confirmed', confirmed: r.confirmed, trial: r.confirmed, note: note = 'candidate-invalid' });
  } else if (r.state === 'trying') {
    // The trial image reset (crash, watchdog, power) before it confirmed: go back.
    r = records.write({ state: 'confirmed', confirmed: r.confirmed, trial: r.confirmed, note: note = 'trial-reset' });
  }
  const confirmed = bootable(r.confirmed);
  if (confirmed) return { slot: r.confirmed, trial: false, note, manifest: confirmed };
  // The confirmed bank is damaged: run the other one, on trial, rather than nothing.
  const other = (1 - r.confirmed) as Slot;
  const fallback = bootable(other);
  if (!fallback) return { slot: undefined, trial: false, note, manifest: undefined };
  records.write({ state: 'trying', confirmed: r.confirmed, trial: other, note: 'trial-started' });
  return { slot: other, trial: true, note: 'fallback', manifest: fallback };
}

/**
 * No valid record (a factory device, or both copies damaged): take the older bootable image,
 * never an unconfirmed newer one; the counter already ruled out anything older than allowed.
 */
function oldestBootable(bootable: (slot: Slot) => OpenedManifest | undefined): Slot {
  const a = bootable(0)?.manifest, b = bootable(1)?.manifest;
  if (!a || !b) return b && !a ? 1 : 0;
  const order = a.securityCounter - b.securityCounter || compareVersions(a.version, b.version);
  return order <= 0 ? 0 : 1;
}
