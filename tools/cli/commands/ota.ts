// `implant ota PKG`: the programmer side of an update (programmer/ota-client.ts): begin,
// chunks with a window of requests in flight, a progress bar, resume after a lost link, then
// activation and the trial boot. Two targets (this host has no BLE central):
// --sim ws://HOST:PORT  the running simulator (`npm start`) over its bridge (sim-client/ota-bridge.ts);
// --local               the assembled firmware on a simulated board in this process (host/board/sim-board.ts),
//                       reached over the host BLE shim, built trusting --root and a throwaway factory key
//                       that signs its factory image 0.0.1 and this session's manufacturer certificate.
import { readFile } from 'node:fs/promises';
import { keyIdOf } from '../../../modules/access/key-id.js';
import { toHex } from '../../../modules/core/bytes.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { BOARD_CLASS_UUIDS, IMPLANT_VENDOR_UUID, uuidBytes } from '../../../modules/bootloader/identity.js';
import { versionText } from '../../../modules/bootloader/manifest.js';
import { OtaError, sendUpdate } from '../../../programmer/ota-client.js';
import { buildPackage, splitPackage } from '../../../modules/bootloader/package.js';
import type { SimulatedCentral } from '../../../host/ble/radio.js';
import { run, settle } from '../../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../../host/board/programmer-session.js';
import { SimBoard } from '../../../host/board/sim-board.js';
import { parsePublicKeyPem } from '../../flash/keys.js';
import { intArg, UsageError } from '../args.js';
import type { Parsed } from '../args.js';
import type { CliIO, Command } from '../command.js';
import { PROGRAMMER_FLAGS, resolveIdentity } from '../sim-client/identity.js';
import { otaOverBridge } from '../sim-client/ota-bridge.js';
import { Exit, failure } from '../sim-client/programmer.js';
import { progressBar } from '../sim-client/progress.js';

const BLOCK = 4096;
/** Virtual time the in-process transfer may take. */
const TRANSFER_LIMIT_MS = 3_600_000;

async function viaBridge(args: Parsed, io: CliIO, pkg: Uint8Array, dropAt: number | undefined): Promise<number> {
  const json = args.flags.json === true;
  try {
    const identity = await resolveIdentity(args, 'manufacturer');
    if (identity.development) io.err("implant ota: using the simulator's DEVELOPMENT KEYS (manufacturer)");
    const result = await otaOverBridge(args.flags.sim as string, identity, pkg, { dropAt, json });
    io.out(json ? JSON.stringify(result) : `sent ${result.sent} bytes in ${result.transferSeconds.toFixed(1)} s (${result.resumes} resume${result.resumes === 1 ? '' : 's'}); trial ${result.trial} after ${result.seconds.toFixed(1)} s; device runs ${result.running}`);
    return result.trial === 'confirmed' ? Exit.OK : Exit.REFUSED;
  } catch (error) {
    if (error instanceof OtaError) {
      io.out(json ? JSON.stringify({ refused: error.code, status: error.status }) : `device refused the update: ${error.code} (status ${error.status})`);
      return Exit.REFUSED;
    }
    const { code, message } = failure(error);
    if (json) io.out(JSON.stringify({ error: message, exit: code }));
    io.err(`implant ota: ${message}`);
    return code;
  }
}

export const otaCommand: Command = {
  name: 'ota',
  summary: 'send an update package to the simulator (--sim URL) or an in-process implant (--local), with progress and resume',
  usage: 'PKG --sim ws://HOST:PORT [identity flags] [--drop-at BYTES] [--json] | PKG --local --root PUB.pem [--class esp32|nrf52] [--drop-at BYTES] [--fail-self-test] [--json]',
  flags: {
    ...PROGRAMMER_FLAGS,
    local: { type: 'boolean', description: 'update a simulated implant in this process over the host BLE shim' },
    root: { type: 'string', value: 'PEM', description: "--local: the simulated device's manufacturer root public key" },
    class: { type: 'string', value: 'CLASS', description: '--local: the simulated board, esp32 (default) or nrf52' },
    'drop-at': { type: 'string', value: 'BYTES', description: 'drop the link once this many bytes are committed (shows resume)' },
    'fail-self-test': { type: 'boolean', description: '--local: make the trial self-test fail (shows the revert)' },
  },
  async run(args, io) {
    const f = args.flags;
    if (args.positionals.length !== 1) throw new UsageError('exactly one PKG file is required');
    if ((f.sim === undefined) === (f.local !== true)) throw new UsageError('give --sim ws://HOST:PORT (the running simulator) or --local: this host has no BLE central');
    const dropAt = f['drop-at'] === undefined ? undefined : intArg('drop-at', f['drop-at'] as string, 1, 0xffffffff);
    if (f.sim !== undefined) return viaBridge(args, io, new Uint8Array(await readFile(args.positionals[0])), dropAt);
    if (typeof f.root !== 'string') throw new UsageError('--root is required');
    const cls = (f.class as string | undefined) ?? 'esp32';
    if (cls !== 'esp32' && cls !== 'nrf52') throw new UsageError('--class must be esp32 or nrf52');
    const crypto = nobleProvider;
    const root = parsePublicKeyPem(await readFile(f.root, 'utf8'));
    if (root.type !== 'ed25519') throw new UsageError('--root must be an Ed25519 public key');
    const pkg = new Uint8Array(await readFile(args.positionals[0]));
    const size = splitPackage(pkg).image.length;

    // The simulated board: built trusting --root (slot 0) and a throwaway factory key of this run
    // (slot 1), which signs its factory image 0.0.1 and the manufacturer certificate of this session.
    const factoryKey = crypto.randomBytes(32);
    const factory = { secretKey: factoryKey, publicKey: crypto.ed25519.publicKey(factoryKey) };
    const board = new SimBoard({
      banks: true, board: cls, bankBlocks: Math.ceil(size / BLOCK) + 1,
      trust: { roots: [toHex(root.publicKey), toHex(factory.publicKey)], revoked: [] },
    });
    board.install(buildPackage(crypto, { secretKey: factoryKey, kid: keyIdOf(crypto.sha256, factory.publicKey) },
      { vendorId: uuidBytes(IMPLANT_VENDOR_UUID)!, classId: uuidBytes(BOARD_CLASS_UUIDS[cls])!, version: [0, 0, 1], securityCounter: 0 },
      new Uint8Array(BLOCK).fill(0xa5)), 0);
    const manufacturer = programmerIdentity('manufacturer', 5, factory);
    factoryKey.fill(0);
    let b = board.boot();
    await run(b.clock, 1000);
    b.button(true); // the technician holds the magnet: ota.begin and ota.activate need presence

    const centrals: SimulatedCentral[] = [];
    let dropped = false;
    let last = 0;
    const progress = progressBar(f.json === true);
    try {
      const { resumes } = await settle(b.clock, sendUpdate(pkg, {
        connect: async () => {
          for (const old of centrals.splice(0)) old.disconnect(); // one programmer at a time
          const s = await programmerSession(b, manufacturer);
          centrals.push(s.central);
          return s.client;
        },
        onProgress: (p) => {
          last = p.committed;
          progress.show(p.committed, p.size, p.resumes);
          if (dropAt !== undefined && !dropped && p.committed >= dropAt) {
            dropped = true;
            centrals.at(-1)?.disconnect();
          }
        },
      }), TRANSFER_LIMIT_MS);
      progress.end();
      await run(b.clock, 1000); // the device restarts after its activation reply
      let outcome = 'not-restarted';
      if (b.restarts > 0) {
        b.firmware.stop();
        board.workerFails = f['fail-self-test'] === true; // the new image's therapy machine does not come up
        b = board.boot();
        outcome = (await settle(b.clock, b.firmware.trial)) ?? 'not-on-trial';
        if (outcome === 'reverted') {
          await run(b.clock, 1000);
          b.firmware.stop();
          board.workerFails = false;
          b = board.boot(); // the revert's restart into the old image
          await settle(b.clock, b.firmware.trial);
        }
      }
      const running = b.firmware.update!.status().runningVersion;
      const result = { sent: size, resumes, trial: outcome, running: running ? versionText(running) : null, securityCounter: b.firmware.storage!.counters.get('security') };
      io.out(f.json ? JSON.stringify(result) : `sent ${size} bytes (${resumes} resume${resumes === 1 ? '' : 's'}); trial ${outcome}; device runs ${result.running}, security counter ${result.securityCounter}`);
      return outcome === 'confirmed' ? 0 : 1;
    } catch (error) {
      progress.end();
      if (!(error instanceof OtaError)) throw error;
      io.out(f.json ? JSON.stringify({ sent: last, refused: error.code, status: error.status }) : `device refused the update: ${error.code} (status ${error.status})`);
      return 1;
    } finally {
      b.firmware.stop();
    }
  },
};
