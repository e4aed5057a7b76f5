// Therapy comes first at every boot: this starts the therapy machine before anything touches
// storage, the radio or crypto, so the first pace never waits on them. A machine that cannot
// even start counts as a dead one: the supervisor's watchdog switches to backup pacing, whose
// paces are shown on the console (the backup pacer streams no markers).
import { TherapySupervisor } from '../therapy/supervisor.js';
import type { BackupIO, WorkerPort } from '../therapy/supervisor.js';
import type { FirmwarePlatform } from './platform.js';
import { describeError } from './step.js';
import type { Say } from './step.js';

/** A port to a machine that never started: it takes no messages and never beats. */
function deadWorker(): WorkerPort {
  return {
    onmessage: null,
    postMessage: () => {
      throw new Error('worker terminated');
    },
    terminate: () => {},
  };
}

export function startTherapy(platform: FirmwarePlatform, say: Say): TherapySupervisor {
  const supervisor = new TherapySupervisor({
    clock: platform.clock,
    createWorker: () => {
      try {
        return platform.createTherapyWorker();
      } catch (error) {
        say('fault', `therapy machine did not start (${describeError(error)}); backup pacing follows`);
        return deadWorker();
      }
    },
    openBackupIO: (): BackupIO => {
      let io: BackupIO;
      try {
        io = platform.openBackupIO();
      } catch (error) {
        say('fault', `BACKUP PACER HAS NO PINS (${describeError(error)}): no pacing output`);
        return { pace: () => {}, onVentricularSense: () => {} };
      }
      // The backup pacer streams no markers: its paces are shown here instead.
      return {
        pace: (amplitudeMv, widthUs) => {
          io.pace(amplitudeMv, widthUs);
          say('marker', 'VP ventricular pace (backup pacer)');
        },
        onVentricularSense: (handler) => io.onVentricularSense(handler),
      };
    },
    onBackup: (reason) => say('therapy', `BACKUP PACING VVI 65 ppm: therapy machine stopped (${reason})`),
  });
  return supervisor;
}
