// Programmer commands that read one thing over a session and print it:
//   implant whoami --sim URL       the role and key id the implant gives this session
//   implant interrogate --sim URL  the therapy machine's status (mode, rates, battery, counters,
//                                  safe mode, temporary programming)
import type { Command } from '../command.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { programmerCommand } from '../sim-client/programmer.js';
import { textOf } from '../sim-client/parameters.js';

function readCommand(name: string, summary: string, device: string): Command {
  return {
    name,
    summary,
    usage: '--sim ws://HOST:PORT [--as ROLE | --key PEM [--cert FILE]] [--device-key PEM] [--json]',
    flags: PROGRAMMER_FLAGS,
    run: (args, io) => programmerCommand(name, args, io, 'clinician', async (p) => {
      const result = await p.run(device);
      return { json: result, text: textOf(result) };
    }),
  };
}

export const whoamiCommand = readCommand('whoami', 'open a session and show the role and key id the implant gives it', 'access.whoami');
export const interrogateCommand = readCommand('interrogate', "read the implant's therapy status (clinician, patient or emergency)", 'therapy.interrogate');
