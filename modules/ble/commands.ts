// The radio's command (docs/protocol.md, "Address privacy"): the device's IRK for a programmer
// in an authenticated session, so it recognises this implant behind its resolvable private
// addresses. Who may run it is the policy table's (policy.ts: the patient's bonded phone and
// clinicians); it is never in advertising or device information.
import { defineCommand, ok } from '../channel/commands.js';
import type { CommandSpec } from '../channel/commands.js';
import { NO_ARGS } from '../channel/schema.js';
import { ROTATION_S } from './privacy.js';
import type { AddressPrivacy } from './privacy.js';

export function radioCommands(privacy: AddressPrivacy): CommandSpec[] {
  return [
    defineCommand({
      name: 'radio.irk.get',
      args: NO_ARGS,
      maxArgBytes: 1,
      // `resolvable`: whether advertisements now carry an RPA (false on a board without privacy).
      handler: () => ok(new Map<string, Uint8Array | number | boolean>([
        ['irk', privacy.irk.slice()], ['rotationSeconds', ROTATION_S], ['resolvable', privacy.resolvable],
      ])),
    }),
  ];
}
