// `implant pair --sim URL [--press]`: pairs this phone (a patient key) inside the implant's
// pairing window: XX (learning the device's static key), then the code exchange of
// docs/access-control.md "Comparing codes" (commit to a nonce, receive the device's, reveal), and
// prints the 6-digit code to compare with the one the device shows. --press first holds the
// simulator's button for 3.5 s and releases it, which opens the window as a person would.
import { writeFile } from 'node:fs/promises';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { requestIrk } from '../../../programmer/device-bonds.js';
import { exchangePairingCode, PairingCodeError } from '../../../programmer/pairing-code.js';
import { publicKeyToPem } from '../../flash/keys.js';
import type { Command } from '../command.js';
import { saveBond } from '../sim-client/bond-store.js';
import { ControlSocket } from '../sim-client/bridge-socket.js';
import { PROGRAMMER_FLAGS, resolveIdentity, simUrl } from '../sim-client/identity.js';
import { CommandRefused, connectProgrammer, failure, sleep } from '../sim-client/programmer.js';

/** Held 3 to 10 s and released opens the window (docs/access-control.md, "Pairing"). */
const PAIRING_PRESS_MS = 3500;
const DEVICE_CODE_WAIT_MS = 2000;

export const pairCommand: Command = {
  name: 'pair',
  summary: "pair a phone key (patient) in the implant's pairing window and show the code to compare",
  usage: '--sim ws://HOST:PORT [--press] [--out DEVICE.pub.pem] [--bonds FILE] [--as patient | --key PEM] [--json]',
  flags: {
    ...PROGRAMMER_FLAGS,
    press: { type: 'boolean', description: "open the window first: hold the simulator's button 3.5 s, then release" },
    out: { type: 'string', value: 'FILE', description: "write the device's static public key (PEM) learned in the pairing" },
  },
  async run(args, io) {
    const sim = simUrl(args);
    const json = args.flags.json === true;
    const control = await ControlSocket.open(sim).catch((error: unknown) => error as Error);
    try {
      if (control instanceof Error) throw control;
      const identity = await resolveIdentity(args, 'patient');
      if (identity.development) io.err(`implant pair: using the simulator's DEVELOPMENT KEYS (${identity.role})`);
      let deviceCode: string | undefined;
      control.onConsole((e) => {
        const m = /pairing code (\d{6})/.exec(e.text);
        if (e.topic === 'access' && m) deviceCode = m[1];
      });
      if (args.flags.press === true) {
        await control.request('button', { held: true });
        await sleep(PAIRING_PRESS_MS);
        await control.request('button', { held: false });
        await sleep(300); // debounce, then the window opens
      }
      const p = await connectProgrammer(sim, { ...identity, deviceStatic: undefined });
      try {
        const { handshakeHash, deviceStatic } = p.session;
        const code = await exchangePairingCode(p.session.client, nobleProvider, handshakeHash).catch((error: unknown) => {
          if (error instanceof PairingCodeError) throw new CommandRefused(`access.pairing.${error.step}`, error.status, null);
          throw error;
        });
        const who = (await p.run('access.whoami')) as { role: string; keyId: string };
        const bonds = args.flags.bonds as string | undefined;
        const privacy = bonds ? await requestIrk(p.session.client) : undefined;
        // A board without private addresses is found again by the fixed address it showed now.
        if (bonds && privacy) await saveBond(bonds, privacy.resolvable ? { deviceStatic, irk: privacy.irk } : { deviceStatic, address: p.session.link.address });
        for (let waited = 0; deviceCode === undefined && waited < DEVICE_CODE_WAIT_MS; waited += 100) await sleep(100);
        const out = args.flags.out as string | undefined;
        if (out) await writeFile(out, publicKeyToPem('x25519', deviceStatic));
        const result = {
          code, deviceCode: deviceCode ?? null, match: code === deviceCode, role: who.role, keyId: who.keyId, deviceKey: toHex(deviceStatic), deviceKeyId: toHex(keyIdOf(nobleProvider.sha256, deviceStatic)),
          ...(privacy ? { bond: privacy.resolvable ? 'irk' : 'address' } : {}),
        };
        io.out(json ? JSON.stringify(result) : [
          `pairing code ${code} (compare with the device: ${deviceCode ?? 'not seen on its console'})`,
          `bonded as ${who.role}, key id ${who.keyId}; device key ${result.deviceKey}${out ? ` (written to ${out})` : ''}`,
          ...(bonds ? [`bond saved to ${bonds} (found later by its ${privacy!.resolvable ? 'IRK: the address rotates' : 'fixed address: this board has no address privacy'})`] : []),
        ].join('\n'));
        return deviceCode === undefined || code === deviceCode ? 0 : 1;
      } finally {
        await p.close();
      }
    } catch (error) {
      const { code, message } = failure(error);
      if (json) io.out(JSON.stringify({ error: message, exit: code }));
      io.err(`implant pair: ${message}`);
      return code;
    } finally {
      if (!(control instanceof Error)) control.close();
    }
  },
};
