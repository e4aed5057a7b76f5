// Every `implant` subcommand, in the order `implant --help` lists them.
import type { Command } from '../command.js';
import { certCommand } from './cert.js';
import { keygenCommand } from './keygen.js';
import { runCommand } from './run.js';

export const commands: Command[] = [runCommand, keygenCommand, certCommand];
