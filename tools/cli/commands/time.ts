// `implant time set [SECONDS|now] --sim URL` and `implant time get`: the implant's trusted wall
// time (access.time.set: clinician or manufacturer; never back from the time it knows, never more
// than a year past what the device can vouch for; docs/access-control.md, "Time").
import { intArg, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { programmerCommand } from '../sim-client/programmer.js';
import { textOf } from '../sim-client/parameters.js';

export const timeCommand: Command = {
  name: 'time',
  summary: "read or set the implant's trusted time (set: clinician or manufacturer)",
  usage: 'get | set [SECONDS|now] --sim ws://HOST:PORT [identity flags] [--json]',
  flags: PROGRAMMER_FLAGS,
  run(args, io) {
    const [action, value, ...rest] = args.positionals;
    if (rest.length > 0 || (action !== 'get' && action !== 'set') || (action === 'get' && value !== undefined)) throw new UsageError('expected: get | set [SECONDS|now]');
    const seconds = action === 'set' && value !== undefined && value !== 'now' ? intArg('seconds', value, 0, 0xffffffff) : Math.floor(Date.now() / 1000);
    return programmerCommand('time', args, io, 'clinician', async (p) => {
      if (action === 'set') await p.run('access.time.set', new Map([['seconds', seconds]]));
      const result = await p.run('access.time.get');
      return { json: result, text: textOf(result) };
    });
  },
};
