// Every command the dispatcher carries, from each concern's own bindings (therapy-control,
// access, bootloader: `<concern>/commands.ts`). The firmware and the policy tests both take the
// table from here, so a concern's new commands reach the device and the tests together.
import type { AccessControl } from '../access/access-control.js';
import { accessCommands } from '../access/commands.js';
import { radioCommands } from '../ble/commands.js';
import type { AddressPrivacy } from '../ble/privacy.js';
import { updateCommands } from '../bootloader/commands.js';
import type { UpdateService } from '../bootloader/update-service.js';
import type { CommandSpec } from '../channel/commands.js';
import { patientCommands, therapyCommands } from '../therapy-control/commands.js';
import type { TherapyPort } from '../therapy-control/commands.js';
import type { PatientActions } from '../therapy-control/patient-range.js';

export interface CommandSources {
  /** The therapy machine as the commands see it (saved parameters, patient range, safe-mode clear in front). */
  readonly therapy: TherapyPort;
  /** The patient's actions inside the clinician's range; without them patient adjustments are not offered. */
  readonly patient?: PatientActions;
  readonly access: AccessControl;
  /** The radio's IRK and what the stack does with it. */
  readonly privacy: AddressPrivacy;
  /** Undefined where the board has no banks. */
  readonly update?: UpdateService;
}

export function commandSet(sources: CommandSources): CommandSpec[] {
  return [
    ...therapyCommands(sources.therapy),
    ...(sources.patient ? patientCommands(sources.patient) : []),
    ...accessCommands(sources.access),
    ...radioCommands(sources.privacy),
    ...(sources.update ? updateCommands(sources.update) : []),
  ];
}
