// The composition root: given a platform (platform.ts), builds and starts the whole firmware in
// the safe order (docs/app.md):
//   1. therapy      the pacing machine starts first and never waits on storage, radio or crypto
//   2. storage      mount and recovery, boot counter, audit "device.boot", the reset history
//                   (safe mode across reboots), then the stored pacing parameters restored into
//                   the therapy machine (both by message: it never waits)
//   3. access       trust anchors, device identity (made on first boot), lockout, pairing
//   4. bootloader   a trial image confirms only after the therapy self-test passes
//   5. radio        GATT server and secure channel; the dispatcher carries every command
//                   (therapy, access, update) through the access policy
// A step that fails is reported and skipped together with what depends on it; therapy keeps
// running whatever happens after step 1 (a device with unusable flash keeps pacing but stays
// off the air, since it could keep no lockout, bond or audit record).
// @req SAF-01 (docs/traceability.md)
import { AccessControl } from '../access/access-control.js';
import { AddressPrivacy } from '../ble/privacy.js';
import { storagePorts } from '../access/storage-ports.js';
import type { TrustedTime } from '../access/trusted-time.js';
import type { TrialOutcome } from '../bootloader/trial.js';
import type { UpdateService } from '../bootloader/update-service.js';
import type { CommandDispatcher } from '../channel/commands.js';
import type { Storage } from '../storage/storage.js';
import { PatientActions, patientRangeCodec } from '../therapy-control/patient-range.js';
import { RecordKeys } from '../storage/record-keys.js';
import type { TherapySupervisor } from '../therapy-control/supervisor.js';
import { commandSet } from './command-set.js';
import { FIRMWARE } from './firmware-info.js';
import type { FirmwarePlatform } from './platform.js';
import { commandDispatcher, startRadio } from './radio-start.js';
import { attempt, describeError } from './step.js';
import type { Say } from './step.js';
import { DEVICE_ACTOR, mountStorage } from './storage-start.js';
import { persistingTherapy, restoreParams, therapyParamsCodec } from '../therapy-control/saved-params.js';
import { relayMarkers } from './marker-relay.js';
import { trackResets } from './reset-tracking.js';
import type { ResetTracking } from './reset-tracking.js';
import { startTherapy } from './therapy-start.js';
import { startUpdates } from './update-start.js';

/** The running firmware's parts, for tests and the host simulator; `undefined` where a step failed. */
export interface Firmware {
  readonly therapy: TherapySupervisor;
  readonly storage: Storage | undefined;
  /** The persistent reset history and safe-mode latch (undefined without storage). */
  readonly resets: ResetTracking | undefined;
  readonly access: AccessControl | undefined;
  readonly update: UpdateService | undefined;
  /** How the trial boot was decided ('not-on-trial' on an ordinary boot; undefined without updates). */
  readonly trial: Promise<TrialOutcome | undefined>;
  readonly dispatcher: CommandDispatcher | undefined;
  /** Stops timers and the therapy machine (host simulator exit, tests); a device never calls it. */
  stop(): void;
}

export function startFirmware(platform: FirmwarePlatform): Firmware {
  const { clock } = platform;
  const say: Say = (topic, text, t = clock.now()) => platform.console({ t, topic, text });

  // 1. Therapy, before anything else.
  say('boot', `${FIRMWARE.model} firmware ${FIRMWARE.version} on ${platform.board}${platform.resetReason ? `, reset: ${platform.resetReason}` : ''}`);
  const therapy = startTherapy(platform, say);
  if (therapy.mode === 'worker') say('therapy', 'therapy machine started: VVI 65 ppm at the power-on reset values (first pace within one interval)');
  const stopMarkers = relayMarkers(therapy, clock, say);

  // 2. Storage, and the stored pacing parameters.
  // Audit entries carry trusted wall time once access control (step 3) knows it.
  let time: TrustedTime | undefined;
  const storage = mountStorage(platform, FIRMWARE.version, () => (time?.now() ?? 0) * 1000, say);
  // Sent before the stored parameters: a latched safe mode must refuse them.
  const resets = storage && attempt(say, 'reset history', () => trackResets(storage, therapy, clock, say));
  const params = storage && attempt(say, 'parameter store', () => storage.params(therapyParamsCodec));
  const paramsNotice = (ok: boolean, text: string): void => {
    say(ok ? 'therapy' : 'fault', text);
    if (!ok) attempt(say, 'audit', () => storage?.log({ event: 'therapy.params', actor: DEVICE_ACTOR, outcome: 'failed', detail: text }));
  };
  if (params) restoreParams(therapy, params, paramsNotice).catch((error: unknown) => say('fault', `parameter restore failed: ${describeError(error)}`));

  // 3. Access control.
  const access = storage && attempt(say, 'access control', () => new AccessControl({
    clock, crypto: platform.crypto, ...storagePorts(storage), trustConfig: platform.trust, display: (line) => say('access', line),
  }));
  time = access?.time;
  if (access) watchInputs(platform, access, say);

  // 4. Bootloader: updates and the trial boot.
  const updates = storage && access && attempt(say, 'firmware update banks', () => startUpdates(platform, storage, access, therapy, say));

  // 5. Radio and secure channel.
  const therapyPort = params ? persistingTherapy(therapy, params, paramsNotice) : therapy;
  // The patient range sits next to the stored parameters; without it patient adjustments are refused.
  const patient = storage && params && attempt(say, 'patient range', () => new PatientActions(therapyPort, storage.params(patientRangeCodec, RecordKeys.patientRange), clock));
  const therapyCommandsPort = patient ? patient.port() : therapyPort;
  const privacy = access && new AddressPrivacy(access.identity.identity().irk);
  const dispatcher = access && privacy && attempt(say, 'command dispatcher', () => commandDispatcher(commandSet({
    therapy: resets ? resets.commands(therapyCommandsPort) : therapyCommandsPort, patient, access, privacy, update: updates?.service,
  }), access, say));
  if (access && privacy && dispatcher) attempt(say, 'radio', () => startRadio(platform, access, privacy, dispatcher, therapy, say));
  say('boot', 'start-up complete');

  return {
    therapy,
    storage,
    resets,
    access,
    update: updates?.service,
    trial: updates?.trial ?? Promise.resolve(undefined),
    dispatcher,
    stop() {
      stopMarkers();
      resets?.stop();
      therapy.close();
    },
  };
}

/** The button (physical presence) and the case switch, and what access control knows of itself. */
function watchInputs(platform: FirmwarePlatform, access: AccessControl, say: Say): void {
  platform.watchPresence((held) => access.presence.set(held));
  platform.watchTamper(() => {
    access.tamper();
    say('access', 'TAMPER: the case switch opened (audited; patient and clinician will be alerted)');
  });
  say('access', access.identity.isProvisioned()
    ? 'device identity provisioned (device certificate installed)'
    : 'device not provisioned yet: XX pairing allowed for the factory programmer');
}
