// `implant program --set name=value ...` and `implant temporary --set ... | --end`: permanent and
// temporary programming (clinician + presence: the magnet, here the simulator's button, which
// --presence holds for the command). The device validates every value; its refusal is printed
// with the parameter and reason it gives.
import type { Command } from '../command.js';
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../args.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { programmerCommand } from '../sim-client/programmer.js';
import { parameterChanges, textOf } from '../sim-client/parameters.js';

const FLAGS: FlagSpecs = {
  ...PROGRAMMER_FLAGS,
  set: { type: 'list', value: 'NAME=VALUE', description: 'a parameter to change (repeatable), e.g. --set lrl=70 --set mode=VVI' },
  presence: { type: 'boolean', description: "hold the simulator's button (presence, the magnet) while programming" },
};

export const programCommand: Command = {
  name: 'program',
  summary: 'program therapy parameters permanently (clinician, with presence)',
  usage: '--sim ws://HOST:PORT --set NAME=VALUE ... [--presence] [identity flags] [--json]',
  flags: FLAGS,
  run: (args, io) => {
    const changes = parameterChanges(args.flags.set as string[] | undefined);
    return programmerCommand('program', args, io, 'clinician', async (p) => {
      const send = () => p.run('therapy.program', changes);
      const result = args.flags.presence === true ? await p.withPresence(send) : await send();
      return { json: result ?? {}, text: result ? textOf(result) : 'programmed' };
    });
  },
};

export const temporaryCommand: Command = {
  name: 'temporary',
  summary: 'program temporary parameters (ended by --end or by the end of the session) (clinician, with presence)',
  usage: '--sim ws://HOST:PORT (--set NAME=VALUE ... [--hold SECONDS] | --end) [--presence] [identity flags] [--json]',
  flags: {
    ...FLAGS,
    end: { type: 'boolean', description: 'end temporary programming now' },
    hold: { type: 'string', value: 'SECONDS', description: 'keep the session (and with it the temporary set) open this long (default 0)' },
  },
  run: (args, io) => {
    const end = args.flags.end === true;
    if (end && args.flags.set) throw new UsageError('--end takes no --set');
    const changes = end ? undefined : parameterChanges(args.flags.set as string[] | undefined);
    const hold = args.flags.hold === undefined ? 0 : Number(args.flags.hold);
    if (!Number.isFinite(hold) || hold < 0 || hold > 3600) throw new UsageError('--hold must be 0..3600 seconds');
    return programmerCommand('temporary', args, io, 'clinician', async (p) => {
      const send = () => (changes ? p.run('therapy.program-temporary', changes) : p.run('therapy.end-temporary'));
      const result = args.flags.presence === true ? await p.withPresence(send) : await send();
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold * 1000));
      return { json: result ?? {}, text: result ? textOf(result) : end ? 'temporary programming ended' : 'temporary parameters in force' };
    });
  },
};
