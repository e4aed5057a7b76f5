// Every `implant` subcommand, in the order `implant --help` lists them.
import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { certCommand } from './cert.js';
import { heartCommand } from './heart.js';
import { interrogateCommand, whoamiCommand } from './reads.js';
import { keygenCommand } from './keygen.js';
import { labCommand } from './lab.js';
import { markersCommand } from './markers.js';
import { otaCommand } from './ota.js';
import { pairCommand } from './pair.js';
import { programCommand, temporaryCommand } from './program.js';
import { runCommand } from './run.js';
import { signCommand } from './sign.js';
import { timeCommand } from './time.js';
import { unbondCommand } from './unbond.js';
import { verifyImageCommand } from './verify-image.js';

export const commands: Command[] = [
  runCommand,
  pairCommand, whoamiCommand, interrogateCommand, programCommand, temporaryCommand, markersCommand, auditCommand, otaCommand, timeCommand, unbondCommand,
  keygenCommand, certCommand, signCommand, verifyImageCommand, heartCommand, labCommand,
];
