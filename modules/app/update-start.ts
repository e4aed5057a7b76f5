// Step 4 of the boot: the update service over the platform's banks, and the trial boot of a new
// image, which confirms only after the therapy self-test passes (never automatically at start-up)
// and is otherwise reverted. Update events go to the console and the audit log.
import type { AccessControl } from '../access/access-control.js';
import { runningManifest } from '../bootloader/bank-image.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../bootloader/identity.js';
import { updateKeysFrom } from '../bootloader/keys.js';
import { securityCounterFrom } from '../bootloader/security-counter.js';
import { TrialSupervisor } from '../bootloader/trial.js';
import type { SelfTestResult, TrialOutcome } from '../bootloader/trial.js';
import { UpdateService } from '../bootloader/update-service.js';
import type { UpdateEvent, UpdateServiceOptions } from '../bootloader/update-service.js';
import type { OpenedManifest } from '../bootloader/signed-manifest.js';
import type { Storage } from '../storage/storage.js';
import type { TherapySupervisor } from '../therapy-control/supervisor.js';
import type { FirmwarePlatform } from './platform.js';
import { describeError } from './step.js';
import type { Say } from './step.js';
import { therapySelfTest } from '../therapy-control/self-test.js';

/** A trial image that has not confirmed within this time is reverted. */
export const CONFIRM_WITHIN_MS = 60_000;

export interface Updates {
  readonly service: UpdateService;
  /** How this boot's trial was decided ('not-on-trial' on an ordinary boot); undefined if deciding failed. */
  readonly trial: Promise<TrialOutcome | undefined>;
}

/** What the update service and the trial supervisor are built from (the device's, or a simulated board's). */
export interface UpdatePartsOptions extends Omit<UpdateServiceOptions, 'running' | 'onEvent'> {
  readonly selfTest: () => Promise<SelfTestResult>;
  readonly onEvent: (event: UpdateEvent) => void;
}

/** The update service and the trial supervisor over the running bank's verified manifest: the one place both are built. */
export function updateParts(options: UpdatePartsOptions): { service: UpdateService; supervisor: TrialSupervisor; running: OpenedManifest | undefined } {
  const { platform, crypto, keys, counter, clock, onEvent } = options;
  const running = runningManifest(platform.banks, platform.boot, crypto, keys);
  return {
    running,
    service: new UpdateService({ ...options, running }),
    supervisor: new TrialSupervisor({
      boot: platform.boot, running, counter, clock, selfTest: options.selfTest, restart: platform.restart, confirmWithinMs: CONFIRM_WITHIN_MS, onEvent,
    }),
  };
}

/** Starts updates and the trial decision; undefined where the platform has no banks. */
export function startUpdates(platform: FirmwarePlatform, storage: Storage, access: AccessControl, therapy: TherapySupervisor, say: Say): Updates | undefined {
  // Images are built per board: a board without a class id could only accept another board's.
  const classId = platform.board === 'esp32' || platform.board === 'nrf52' ? uuidBytes(BOARD_CLASS_UUIDS[platform.board]) : undefined;
  const banks = classId && platform.openUpdatePlatform();
  if (!classId || !banks) {
    say('update', 'firmware updates are not supported on this platform');
    return undefined;
  }
  const counter = securityCounterFrom(storage.counters);
  const onEvent = (event: UpdateEvent): void => {
    const version = event.version ? ` ${event.version.join('.')}` : '';
    say('update', `update ${event.type}${version}${event.reason ? ` (${event.reason})` : ''}`);
    access.deps.audit.append({ type: `ota.${event.type}`, role: 'device', subject: event.reason, outcome: 0 });
  };
  const { service, supervisor, running } = updateParts({
    platform: banks, crypto: platform.crypto, keys: updateKeysFrom(access.trust), counter, clock: platform.clock,
    vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId, time: () => access.time.now(), onEvent,
    selfTest: () => therapySelfTest(therapy, platform.clock),
  });
  const boot = banks.boot.status();
  const version = running ? running.manifest.version.join('.') : 'unsigned development image';
  say('update', `running bank ${boot.running} (${version}), security counter ${counter.read()}${boot.trial ? '; ON TRIAL: confirms after the therapy self-test' : ''}`);
  const trial = supervisor.start().then(
    (outcome) => {
      if (outcome !== 'not-on-trial') say('update', `trial boot ${outcome}`);
      return outcome;
    },
    (error: unknown) => {
      say('fault', `trial decision failed (decided again at the next reset): ${describeError(error)}`);
      return undefined;
    },
  );
  return { service, trial };
}
