// Therapy comes first at every boot: this starts the therapy machine before anything touches
// storage, the radio or crypto, so the first pace never waits on them. A machine that cannot
// even start, or dies later, is replaced by the supervisor's backup pacer, whose markers stream
// to the console like the machine's own.
import { ClockPaceTimer } from '../therapy/pace-timer.js';
import { TherapySupervisor } from '../therapy-control/supervisor.js';
import type { BackupIO } from '../therapy-control/supervisor.js';
import type { FirmwarePlatform } from './platform.js';
import { describeError } from './step.js';
import type { Say } from './step.js';

export function startTherapy(platform: FirmwarePlatform, say: Say): TherapySupervisor {
  return new TherapySupervisor({
    clock: platform.clock,
    createWorker: () => platform.createTherapyWorker(),
    openBackupIO: (): BackupIO => {
      try {
        return platform.openBackupIO();
      } catch (error) {
        say('fault', `BACKUP PACER HAS NO PINS (${describeError(error)}): no pacing output`);
        return { paceTimer: new ClockPaceTimer(platform.clock, () => {}), onVentricularSense: () => {} };
      }
    },
    onBackup: (reason) => say('therapy', `BACKUP PACING VVI 65 ppm: ${reason}`),
  });
}
