// Every `implant` subcommand, in the order `implant --help` lists them.
import type { Command } from '../command.js';
import { certCommand } from './cert.js';
import { heartCommand } from './heart.js';
import { keygenCommand } from './keygen.js';
import { otaCommand } from './ota.js';
import { runCommand } from './run.js';
import { signCommand } from './sign.js';
import { verifyImageCommand } from './verify-image.js';

export const commands: Command[] = [runCommand, keygenCommand, certCommand, signCommand, verifyImageCommand, otaCommand, heartCommand];
