// The composition root: given a platform (platform.ts), builds and starts the whole firmware in
// the safe order (docs/app.md):
//   1. therapy      the pacing machine starts first and never waits on storage, radio or crypto
//   2. storage      mount and recovery, boot counter, audit "device.boot"
//   3. access       trust anchors, device identity (made on first boot), lockout, pairing
//   4. bootloader   a trial image confirms only after the therapy self-test passes
//   5. radio        GATT server and secure channel; the dispatcher carries every command
//                   (access, update, ...) through the access policy
// A step that fails is reported and skipped together with what depends on it; therapy keeps
// running whatever happens after step 1 (a device with unusable flash keeps pacing but stays
// off the air, since it could keep no lockout, bond or audit record).
import type { AccessAuditEvent } from '../access/ports.js';
import { AccessControl } from '../access/access-control.js';
import { AccessGate } from '../access/channel-gate.js';
import { accessCommands } from '../access/commands.js';
import { storagePorts } from '../access/storage-ports.js';
import { runningManifest } from '../bootloader/bank-image.js';
import { updateCommands } from '../bootloader/commands.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../bootloader/identity.js';
import { updateKeysFrom } from '../bootloader/keys.js';
import { securityCounterFrom } from '../bootloader/security-counter.js';
import { TrialSupervisor } from '../bootloader/trial.js';
import type { TrialOutcome } from '../bootloader/trial.js';
import { UpdateService } from '../bootloader/update-service.js';
import type { UpdateEvent } from '../bootloader/update-service.js';
import { CommandDispatcher } from '../channel/commands.js';
import type { CommandSpec } from '../channel/commands.js';
import type { ChannelEvent, ChannelGate } from '../channel/hooks.js';
import { DEVICE_CIPHER, PROTOCOL_VERSION, selectorFor } from '../channel/protocol.js';
import { statusName } from '../channel/status.js';
import { openStorage } from '../storage/storage.js';
import type { Storage } from '../storage/storage.js';
import { therapyCommands } from '../therapy/commands.js';
import type { TherapySupervisor } from '../therapy/supervisor.js';
import type { ConsoleTopic } from './console.js';
import type { FirmwarePlatform } from './platform.js';
import { relayMarkers, startTherapy, therapySelfTest } from './therapy-start.js';

/** What the device-information characteristic and the boot line call this firmware. */
export const FIRMWARE = Object.freeze({ model: 'IMPLANT-DEV', version: '0.1.0' });
/** A trial image that has not confirmed within this time is reverted. */
export const CONFIRM_WITHIN_MS = 60_000;

const DEVICE_ACTOR = Object.freeze({ role: 'device', keyId: '' });

/** The running firmware's parts, for tests and the host simulator; `undefined` where a step failed. */
export interface Firmware {
  readonly therapy: TherapySupervisor;
  readonly storage: Storage | undefined;
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
  const say = (topic: ConsoleTopic, text: string, t = clock.now()): void => platform.console({ t, topic, text });
  const attempt = <T>(what: string, step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      say('fault', `${what} failed: ${describe(error)}`);
      return undefined;
    }
  };

  // 1. Therapy, before anything else.
  say('boot', `${FIRMWARE.model} firmware ${FIRMWARE.version} on ${platform.board}, reset: ${platform.resetReason}`);
  const therapy = startTherapy(platform, say);
  say('therapy', 'therapy machine started: VVI 65 ppm at the power-on reset values (first pace within one interval)');
  const stopMarkers = relayMarkers(therapy, clock, say);

  // 2. Storage.
  let access: AccessControl | undefined;
  const wallTimeMs = (): number => (access?.time.now() ?? 0) * 1000;
  const storage = attempt('storage mount', () => openStorage(platform.openStorageAreas(), { crypto: platform.crypto, now: wallTimeMs }));
  if (storage) {
    reportStorage(storage, say);
    attempt('boot record', () => {
      const boots = storage.counters.increment('boot');
      storage.log({ event: 'device.boot', actor: DEVICE_ACTOR, outcome: 'ok', detail: `boot ${boots}; reset ${platform.resetReason}; firmware ${FIRMWARE.version}` });
      say('storage', `boot number ${boots} recorded in the audit log (${storage.audit.lastSeq} entries so far)`);
    });
  } else {
    say('fault', 'no storage: therapy continues; the radio stays off (no lockout, bonds or audit without storage)');
  }

  // 3. Access control.
  access = storage && attempt('access control', () => {
    const ports = storagePorts(storage);
    return new AccessControl({ clock, crypto: platform.crypto, ...ports, trustConfig: platform.trust, display: (line) => say('access', line) });
  });
  if (access) {
    const a = access;
    platform.watchPresence((held) => a.presence.set(held));
    platform.watchTamper(() => {
      a.tamper();
      say('access', 'TAMPER: the case switch opened (audited; patient and clinician will be alerted)');
    });
    say('access', a.identity.isProvisioned()
      ? 'device identity provisioned (device certificate installed)'
      : 'device not provisioned yet: XX pairing allowed for the factory programmer');
  }

  // 4. Bootloader: updates and the trial boot.
  const update = access && storage && attempt('update service', () => startUpdates(platform, storage, access!, therapy, say));
  const trial: Promise<TrialOutcome | undefined> = update
    ? update.trial.start().then(
      (outcome) => {
        if (outcome !== 'not-on-trial') say('update', `trial boot ${outcome}`);
        return outcome;
      },
      (error: unknown) => {
        say('fault', `trial decision failed (decided again at the next reset): ${describe(error)}`);
        return undefined;
      },
    )
    : Promise.resolve(undefined);

  // 5. Radio and secure channel.
  const dispatcher = access && attempt('command dispatcher', () => {
    const commands: CommandSpec[] = [...therapyCommands(therapy), ...accessCommands(access!), ...(update ? updateCommands(update.service) : [])];
    return new CommandDispatcher({
      commands,
      policy: access!.authorizer,
      onHandlerError: (name, error) => say('fault', `command ${name} failed: ${describe(error)}`),
    });
  });
  if (access && dispatcher) {
    const a = access;
    attempt('radio', () => {
      const identity = a.identity.identity();
      platform.startRadio({
        clock,
        crypto: platform.crypto,
        staticKey: { publicKey: identity.staticPublic, secretKey: identity.staticSecret },
        gate: sessionGate(new AccessGate(a), therapy, say),
        dispatcher,
        physicalPresence: () => a.presence.isHeld(),
        deviceInfo: () => ({
          model: FIRMWARE.model,
          protocol: PROTOCOL_VERSION,
          firmware: FIRMWARE.version,
          pairingOpen: a.pairing.isOpen(),
          selectors: a.xxAllowed() ? [selectorFor('IK', DEVICE_CIPHER), selectorFor('XX', DEVICE_CIPHER)] : [selectorFor('IK', DEVICE_CIPHER)],
        }),
        onLink: (event) => say('radio', LINK_WORDS[event]),
      });
    });
  }
  say('boot', 'start-up complete');

  return {
    therapy,
    storage,
    access,
    update: update?.service,
    trial,
    dispatcher,
    stop() {
      stopMarkers();
      therapy.close();
    },
  };
}

const LINK_WORDS = Object.freeze({
  advertising: 'advertising as "Implant" (connectable; no identifying data)',
  connected: 'a central connected',
  disconnected: 'the central disconnected',
});

function startUpdates(platform: FirmwarePlatform, storage: Storage, access: AccessControl, therapy: TherapySupervisor, say: (topic: ConsoleTopic, text: string) => void) {
  const updatePlatform = platform.openUpdatePlatform();
  if (!updatePlatform) {
    say('update', 'firmware updates are not supported on this platform');
    return undefined;
  }
  const classText = platform.board === 'nrf52' ? BOARD_CLASS_UUIDS.nrf52 : BOARD_CLASS_UUIDS.esp32;
  const keys = updateKeysFrom(access.trust);
  const counter = securityCounterFrom(storage.counters);
  const running = runningManifest(updatePlatform.banks, updatePlatform.boot, platform.crypto, keys);
  const boot = updatePlatform.boot.status();
  const onEvent = (event: UpdateEvent): void => {
    say('update', describeUpdate(event));
    const audit: AccessAuditEvent = { type: `ota.${event.type}`, role: 'device', subject: event.reason, outcome: 0 };
    access.deps.audit.append(audit);
  };
  const service = new UpdateService({
    crypto: platform.crypto,
    keys,
    vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!,
    classId: uuidBytes(classText)!,
    platform: updatePlatform,
    running,
    counter,
    clock: platform.clock,
    time: () => access.time.now(),
    onEvent,
  });
  const trial = new TrialSupervisor({
    boot: updatePlatform.boot,
    running,
    counter,
    clock: platform.clock,
    selfTest: () => therapySelfTest(therapy, platform.clock),
    restart: updatePlatform.restart,
    confirmWithinMs: CONFIRM_WITHIN_MS,
    onEvent,
  });
  const version = running ? running.manifest.version.join('.') : 'unsigned development image';
  say('update', `running bank ${boot.running} (${version}), security counter ${counter.read()}${boot.trial ? '; ON TRIAL: confirms after the therapy self-test' : ''}`);
  return { service, trial };
}

function describeUpdate(event: UpdateEvent): string {
  const version = event.version ? ` ${event.version.join('.')}` : '';
  const reason = event.reason ? ` (${event.reason})` : '';
  return `update ${event.type}${version}${reason}`;
}

function reportStorage(storage: Storage, say: (topic: ConsoleTopic, text: string) => void): void {
  const { records, audit } = storage.report;
  const stats = storage.records.stats();
  say('storage', `records mounted${records.fresh ? ' (formatted: blank or unreadable)' : ''}: ${stats.keys} keys, ${stats.liveBytes}/${stats.capacityBytes} bytes in ${stats.sectors} sectors`);
  say('storage', `audit log mounted${audit.ring.fresh ? ' (formatted)' : ''}: ${audit.entries} entries (#${audit.firstSeq}..#${audit.lastSeq})${audit.fault ? `, chain broken at #${audit.fault.seq}` : ''}`);
  const damage = records.corruptSlots.length + audit.ring.corruptSlots.length;
  if (damage > 0 || records.tornTail || audit.ring.tornTail) {
    say('storage', `recovered: ${damage} damaged records skipped${records.tornTail || audit.ring.tornTail ? ', an interrupted write discarded' : ''} (details in the audit log)`);
  }
}

/** The access gate, also telling the console about sessions and therapy when one ends (temporary parameters revert). */
function sessionGate(gate: AccessGate, therapy: TherapySupervisor, say: (topic: ConsoleTopic, text: string) => void): ChannelGate {
  return {
    admit: (request) => gate.admit(request),
    authenticatePeer: (claim) => gate.authenticatePeer(claim),
    sessionEvent: (event: ChannelEvent) => {
      gate.sessionEvent(event);
      const who = event.principal ? ` (${event.principal.role})` : '';
      const why = event.status ? `: ${statusName(event.status)}` : '';
      say('session', `${event.kind}${who}${why}`);
      if (event.kind === 'session-closed' || event.kind === 'auth-failure') void therapy.request({ op: 'session-ended' });
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
