// `implant ota PKG --sim ws://HOST:PORT`: an update sent to the running simulator over the
// bridge, as a manufacturer programmer does it to a board: begin and activate with presence
// (the simulator's button, held only for those two commands), chunks on the bulk path with a
// window in flight, resume after a lost link (--drop-at closes the socket once, to show it),
// then the device restarts into the trial boot; the CLI reconnects and waits until the device
// has confirmed the new image (therapy self-test passed) or reverted it.
import { decodeSign1 } from '../../../modules/core/cose.js';
import { decodeManifest, versionText } from '../../../modules/bootloader/manifest.js';
import { splitPackage } from '../../../modules/bootloader/package.js';
import { sendUpdate } from '../../../programmer/ota-client.js';
import type { OtaLink } from '../../../programmer/ota-client.js';
import type { CborValue } from '../../../modules/core/cbor.js';
import type { ResolvedIdentity } from './identity.js';
import { CommandRefused, connectProgrammer, sleep } from './programmer.js';
import type { Programmer } from './programmer.js';
import { progressBar } from './progress.js';

/** A trial confirms within 60 s of boot or is reverted (docs/bootloader.md); allow the reboot too. */
const TRIAL_WAIT_MS = 90_000;
const PRESENCE_COMMANDS = new Set(['ota.begin', 'ota.activate']);

export interface BridgeOtaResult {
  sent: number;
  resumes: number;
  trial: 'confirmed' | 'reverted' | 'no-answer';
  running: string | null;
  /** From the first connect to the device's answer to ota.activate. */
  transferSeconds: number;
  /** Until the trial's outcome (the reboot and the self-test included). */
  seconds: number;
}

function linkOf(p: Programmer): OtaLink {
  return {
    request: async (name: string, args?: CborValue, options?: { bulk?: boolean }) => {
      const send = () => p.session.client.request(name, args, options);
      const r = PRESENCE_COMMANDS.has(name) ? await p.withPresence(send) : await send();
      return { status: r.status, result: r.result };
    },
  };
}

/** Waits for the rebooted device to settle its trial; answers how it ended and what runs. */
async function trialOutcome(sim: string, identity: ResolvedIdentity, version: string): Promise<{ trial: BridgeOtaResult['trial']; running: string | null }> {
  const deadline = Date.now() + TRIAL_WAIT_MS;
  let running: string | null = null;
  while (Date.now() < deadline) {
    await sleep(1000);
    let p: Programmer | undefined;
    try {
      p = await connectProgrammer(sim, identity);
      const status = (await p.run('ota.status')) as { state: string; running: number[] };
      running = status.running.join('.');
      if (status.state !== 'trial') return { trial: running === version ? 'confirmed' : 'reverted', running };
    } catch (error) {
      if (error instanceof CommandRefused) throw error;
      // Rebooting, not advertising yet, or the link dropped: ask again.
    } finally {
      await p?.close().catch(() => {});
    }
  }
  return { trial: 'no-answer', running };
}

export async function otaOverBridge(sim: string, identity: ResolvedIdentity, pkg: Uint8Array, options: { dropAt?: number; json: boolean }): Promise<BridgeOtaResult> {
  const { manifestBytes, image } = splitPackage(pkg);
  const version = versionText(decodeManifest(decodeSign1(manifestBytes).payload).version);
  const started = Date.now();
  const progress = progressBar(options.json);
  let current: Programmer | undefined;
  let dropped = false;
  try {
    const { resumes } = await sendUpdate(pkg, {
      connect: async () => {
        await current?.close().catch(() => {});
        current = await connectProgrammer(sim, identity);
        return linkOf(current);
      },
      onProgress: (p) => {
        progress.show(p.committed, p.size, p.resumes);
        if (options.dropAt !== undefined && !dropped && p.committed >= options.dropAt) {
          dropped = true;
          current?.socket.close(); // out of range: the simulator drops the central's link
        }
      },
    });
    const transferSeconds = (Date.now() - started) / 1000;
    progress.end();
    await current?.close().catch(() => {});
    current = undefined;
    const outcome = await trialOutcome(sim, identity, version);
    return { sent: image.length, resumes, ...outcome, transferSeconds, seconds: (Date.now() - started) / 1000 };
  } finally {
    await current?.close().catch(() => {});
  }
}
