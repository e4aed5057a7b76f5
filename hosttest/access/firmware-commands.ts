// Every CommandSpec the firmware registers, from the firmware's own table (modules/app/command-set.ts)
// over the access fixture's device, so the policy tests see exactly the dispatcher's table.
import { AddressPrivacy } from '../../modules/ble/privacy.js';
import { commandSet } from '../../modules/app/command-set.js';
import { ClockPaceTimer } from '../../modules/therapy/pace-timer.js';
import { updateKeysFrom } from '../../modules/bootloader/keys.js';
import type { CommandSpec } from '../../modules/channel/commands.js';
import type { TherapyPort } from '../../modules/therapy-control/commands.js';
import { PatientActions } from '../../modules/therapy-control/patient-range.js';
import type { PatientRangeStore } from '../../modules/therapy-control/patient-range.js';
import { TherapySupervisor } from '../../modules/therapy-control/supervisor.js';
import { inProcessWorker } from '../therapy/in-process-worker.js';
import { image, makePackage } from '../../host/fixtures/update-fixture.js';
import { SIM_LAYOUTS, SimDevice } from '../../host/fixtures/sim-device.js';
import type { Device } from '../../host/fixtures/access-device.js';

/** The update service of a simulated board running a signed image (the bootloader's fixture). */
function updateService(device: Device) {
  const board = new SimDevice({ layout: SIM_LAYOUTS[0], keys: updateKeysFrom(device.access.trust), selfTest: async () => ({ passed: true }), clock: device.clock });
  board.install(makePackage({ version: [1, 0, 0], counter: 1, image: image(1, 1000), key: { ...device.root, kid: device.rootKid } }));
  return board.powerOn().service;
}

/** The therapy machine, in process on the device's clock (the therapy tests' worker). */
function therapy(device: Device): TherapySupervisor {
  return new TherapySupervisor({
    clock: device.clock,
    createWorker: () => inProcessWorker(device.clock),
    openBackupIO: () => ({ paceTimer: new ClockPaceTimer(device.clock, () => {}), onVentricularSense: () => {} }),
  });
}

/**
 * `therapyPort` replaces the in-process therapy machine (which needs Node's structuredClone);
 * `rangeStore` keeps the patient range across `firmwareCommands` calls (a reboot).
 */
export function firmwareCommands(device: Device, therapyPort: TherapyPort = therapy(device), rangeStore?: PatientRangeStore): CommandSpec[] {
  const patient = new PatientActions(therapyPort, rangeStore, device.clock);
  return commandSet({ therapy: patient.port(), patient, access: device.access, privacy: new AddressPrivacy(device.access.identity.identity().irk), update: updateService(device) });
}
