// `implant unbond --sim URL`: a paired phone removes its own bond (access.unbond-self, patient);
// with --key-id, a clinician removes that bond (access.bonds.remove). --list shows the bonds.
import { UsageError } from '../args.js';
import type { Command } from '../command.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { programmerCommand } from '../sim-client/programmer.js';

export const unbondCommand: Command = {
  name: 'unbond',
  summary: "remove a phone's bond: its own (patient), or --key-id ID (clinician); --list shows them",
  usage: '--sim ws://HOST:PORT [--key-id HEX | --list] [identity flags] [--json]',
  flags: {
    ...PROGRAMMER_FLAGS,
    'key-id': { type: 'string', value: 'HEX', description: "the bond's key id (8 bytes hex), as --list shows it (clinician)" },
    list: { type: 'boolean', description: 'list the bonds instead (patient or clinician)' },
  },
  run(args, io) {
    const keyId = args.flags['key-id'] as string | undefined;
    if (keyId !== undefined && !/^[0-9a-f]{16}$/.test(keyId)) throw new UsageError('--key-id must be 8 bytes of lowercase hex');
    if (keyId !== undefined && args.flags.list === true) throw new UsageError('--list or --key-id, not both');
    const role = keyId !== undefined || args.flags.list === true ? 'clinician' : 'patient';
    return programmerCommand('unbond', args, io, role, async (p) => {
      if (args.flags.list === true) {
        const bonds = (await p.run('access.bonds.list')) as { keyId: string; bondedAt: number }[];
        return { json: { bonds }, text: bonds.length ? bonds.map((b) => `${b.keyId} bonded at ${b.bondedAt}`).join('\n') : 'no bonds' };
      }
      if (keyId !== undefined) await p.run('access.bonds.remove', new Map([['keyId', Uint8Array.from(Buffer.from(keyId, 'hex'))]]));
      else await p.run('access.unbond-self');
      return { json: { removed: keyId ?? 'self' }, text: `bond ${keyId ?? 'of this phone'} removed` };
    });
  },
};
