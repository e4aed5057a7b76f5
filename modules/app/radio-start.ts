// Step 5 of the boot: the command dispatcher with every concern's commands behind the access
// policy, and the GATT server with the secure channel. The channel gate is access control's
// own (radio admission, handshake admission, authentication, audit); it also tells the console
// about sessions and the therapy machine when one ends (temporary parameters revert then). The
// stack is given the device's IRK for resolvable private addresses (docs/privacy.md).
import type { AccessControl } from '../access/access-control.js';
import { AccessGate } from '../access/channel-gate.js';
import { ROTATION_S } from '../ble/privacy.js';
import type { AddressPrivacy, PrivacyState } from '../ble/privacy.js';
import { CommandDispatcher } from '../channel/commands.js';
import type { CommandSpec } from '../channel/commands.js';
import type { ChannelEvent } from '../channel/hooks.js';
import { DEVICE_CIPHER, PROTOCOL_VERSION, selectorFor } from '../channel/protocol.js';
import { statusName } from '../status/registry.js';
import type { TherapySupervisor } from '../therapy-control/supervisor.js';
import { FIRMWARE } from './firmware-info.js';
import type { FirmwarePlatform } from './platform.js';
import { describeError } from './step.js';
import type { Say } from './step.js';

const LINK_WORDS = Object.freeze({
  advertising: 'advertising as "Implant" (connectable; no identifying data)',
  silent: 'not advertising: a lockout runs or the energy bucket cannot pay for a handshake',
  connected: 'a central connected',
  disconnected: 'the central disconnected',
});

const PRIVACY_WORDS: Readonly<Record<PrivacyState, string>> = Object.freeze({
  rpa: `address privacy on: a resolvable private address, new every ${ROTATION_S / 60} min`,
  'identity-address': "NO address privacy: the stack makes private addresses, but the SDK's server advertises with the board's identity address",
  none: 'NO address privacy on this board: it advertises with a fixed address',
  fault: 'NO address privacy: the stack refused the setting',
  'not-started': 'NO address privacy: the stack has not taken the setting',
});

export function commandDispatcher(commands: CommandSpec[], access: AccessControl, say: Say): CommandDispatcher {
  return new CommandDispatcher({
    commands,
    policy: access.authorizer,
    onHandlerError: (name, error) => say('fault', `command ${name} failed: ${describeError(error)}`),
  });
}

export function startRadio(platform: FirmwarePlatform, access: AccessControl, privacy: AddressPrivacy, dispatcher: CommandDispatcher, therapy: TherapySupervisor, say: Say): void {
  const identity = access.identity.identity();
  const ik = selectorFor('IK', DEVICE_CIPHER);
  platform.startRadio({
    clock: platform.clock,
    crypto: platform.crypto,
    staticKey: { publicKey: identity.staticPublic, secretKey: identity.staticSecret },
    gate: new AccessGate(access, (event) => reportSession(event, therapy, say)),
    dispatcher,
    physicalPresence: () => access.presence.isHeld(),
    // Constant (docs/protocol.md §2): no device state before a session; admission decides XX.
    deviceInfo: () => ({ model: FIRMWARE.model, protocol: PROTOCOL_VERSION, selectors: [ik, selectorFor('XX', DEVICE_CIPHER)] }),
    onLink: (event) => say('radio', LINK_WORDS[event]),
    privacy,
    onPrivacy: (state, code) => say(state === 'fault' ? 'fault' : 'radio', `${PRIVACY_WORDS[state]}${state === 'fault' ? ` (status ${code})` : ''}`),
  });
}

function reportSession(event: ChannelEvent, therapy: TherapySupervisor, say: Say): void {
  const who = event.principal ? ` (${event.principal.role})` : '';
  const why = event.status ? `: ${statusName(event.status)}` : '';
  say('session', `${event.kind}${who}${why}`);
  if (event.kind === 'session-closed' || event.kind === 'auth-failure') void therapy.request({ op: 'session-ended' });
}
