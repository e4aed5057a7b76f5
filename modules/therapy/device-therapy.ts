// Starts therapy from the main machine on the device: the worker with the creation sizes and
// scheduling of the manifest's `therapyWorker` config (docs/therapy.md, "Memory"), the supervisor
// that watches it, and the backup pacer's pins should it die.
import Config from 'mc/config';
import Worker from 'worker';
import type { Clock } from '../core/clock.js';
import { DeviceIO } from './device-io.js';
import { pinsFromConfig } from './pin-maps.js';
import { TherapySupervisor } from './supervisor.js';

export const THERAPY_WORKER_MODULE = 'modules/therapy/device-worker';

export function startTherapy(clock: Clock, onBackup?: (reason: string) => void): TherapySupervisor {
  const options = (Config as Record<string, unknown>).therapyWorker as ConstructorParameters<typeof Worker>[1];
  return new TherapySupervisor({
    clock,
    createWorker: () => new Worker(THERAPY_WORKER_MODULE, options),
    openBackupIO: () => {
      let onSense: () => void = () => {};
      const io = new DeviceIO(pinsFromConfig(Config), {
        sense: (chamber) => chamber === 'V' && onSense(),
        magnet: () => {},
        battery: () => {},
        activity: () => {},
      }, () => clock.now());
      return { pace: () => io.pace('V'), onVentricularSense: (handler) => (onSense = handler) };
    },
    onBackup,
  });
}
