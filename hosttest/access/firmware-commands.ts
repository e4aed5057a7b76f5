// Every CommandSpec the firmware registers, built the way the device builds them, so the policy
// tests see exactly the dispatcher's table. A concern that adds a commands module adds it here.
import { accessCommands } from '../../modules/access/commands.js';
import type { CommandSpec } from '../../modules/channel/commands.js';
import type { Device } from './harness.js';

export function firmwareCommands(device: Device): CommandSpec[] {
  return [...accessCommands(device.access)];
}
