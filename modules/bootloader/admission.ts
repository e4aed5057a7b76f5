// Whether a verified manifest may be installed on this device now. Checked when the transfer
// begins and again right before activation (the time-of-check/time-of-use gap that
// CVE-2024-28183 exploited in ESP-IDF), so keys revoked or counters raised in between count.
// @req SEC-10 (docs/traceability.md)
import { equalBytes } from '../core/bytes.js';
import { UpdateError } from './errors.js';
import { compareVersions } from './manifest.js';
import type { Manifest, Version } from './manifest.js';

export interface DeviceFacts {
  readonly vendorId: Uint8Array;
  readonly classId: Uint8Array;
  /** Largest image the inactive bank holds. */
  readonly maxImageSize: number;
  /** The lowest security counter the device accepts (see UpdateService.counterFloor). */
  readonly counterFloor: number;
  /** Version of the running image. */
  readonly runningVersion: Version;
  /** Trusted Unix time in seconds, or undefined while the device does not know it. */
  readonly now: number | undefined;
}

/** Throws UpdateError with the first reason the manifest is not acceptable. */
export function admitManifest(m: Manifest, device: DeviceFacts): void {
  if (!equalBytes(m.vendorId, device.vendorId)) throw new UpdateError('wrong-vendor');
  if (!equalBytes(m.classId, device.classId)) throw new UpdateError('wrong-class');
  if (m.imageSize === 0 || m.imageSize > device.maxImageSize) throw new UpdateError('oversize', `${m.imageSize} bytes, bank holds ${device.maxImageSize}`);
  if (m.securityCounter < device.counterFloor) throw new UpdateError('counter-too-low', `${m.securityCounter} < ${device.counterFloor}`);
  if (compareVersions(m.version, device.runningVersion) <= 0) throw new UpdateError('not-newer');
  if (m.expires !== undefined) {
    // Fail closed: an expiring package needs a trusted clock (docs/bootloader.md, "Time").
    if (device.now === undefined) throw new UpdateError('clock-unknown');
    if (device.now > m.expires) throw new UpdateError('expired');
  }
}
