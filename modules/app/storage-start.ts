// Step 2 of the boot: mount storage (recovery included), tell the console what was found, count
// the boot and open the audit trail of this boot with it.
import { openStorage } from '../storage/storage.js';
import type { Storage } from '../storage/storage.js';
import type { FirmwarePlatform } from './platform.js';
import { attempt } from './step.js';
import type { Say } from './step.js';

export const DEVICE_ACTOR = Object.freeze({ role: 'device', keyId: '' });

/**
 * @param firmware the version for the audit entry
 * @param wallTimeMs trusted wall time for audit entries (0 while unknown)
 */
export function mountStorage(platform: FirmwarePlatform, firmware: string, wallTimeMs: () => number, say: Say): Storage | undefined {
  const storage = attempt(say, 'storage mount', () => openStorage(platform.openStorageAreas(), { crypto: platform.crypto, now: wallTimeMs }));
  if (!storage) {
    say('fault', 'no storage: therapy continues; the radio stays off (no lockout, bonds or audit without storage)');
    return undefined;
  }
  report(storage, say);
  attempt(say, 'boot record', () => {
    const boots = storage.counters.increment('boot');
    storage.log({ event: 'device.boot', actor: DEVICE_ACTOR, outcome: 'ok', detail: `boot ${boots}; reset ${platform.resetReason ?? 'unknown'}; firmware ${firmware}` });
    say('storage', `boot number ${boots} recorded in the audit log (${storage.audit.lastSeq} entries so far)`);
  });
  return storage;
}

function report(storage: Storage, say: Say): void {
  const { records, audit } = storage.report;
  const stats = storage.records.stats();
  say('storage', `records mounted${records.fresh ? ' (formatted: blank or unreadable)' : ''}: ${stats.keys} keys, ${stats.liveBytes}/${stats.capacityBytes} bytes in ${stats.sectors} sectors`);
  say('storage', `audit log mounted${audit.ring.fresh ? ' (formatted)' : ''}: ${audit.entries} entries (#${audit.firstSeq}..#${audit.lastSeq})${audit.fault ? `, chain broken at #${audit.fault.seq}` : ''}`);
  const damaged = records.corruptSlots.length + audit.ring.corruptSlots.length;
  const torn = records.tornTail || audit.ring.tornTail;
  if (damaged > 0 || torn) say('storage', `recovered: ${damaged} damaged records skipped${torn ? ', an interrupted write discarded' : ''} (details in the audit log)`);
}
