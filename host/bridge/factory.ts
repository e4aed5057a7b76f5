// The factory step of a new simulator state directory, done as a factory would: through the
// protocol, never by writing flash. With the button held (presence), a manufacturer programmer
// holding a development certificate runs XX (allowed while the device is unprovisioned), learns
// the device's static key, issues it a `device` certificate from the development root, installs
// it with access.provision, sets the device's clock, and lets go of the button (docs/bridge.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../../modules/access/certificate.js';
import { Status } from '../../modules/channel/status.js';
import type { Clock } from '../../modules/core/clock.js';
import type { CryptoProvider } from '../../modules/crypto/provider.js';
import { parsePrivateKeyPem } from '../../tools/flash/keys.js';
import type { BoardSupervisor } from './board-supervisor.js';
import { saveDevice } from './dev-identities.js';
import type { DevIdentities } from './dev-identities.js';
import { openSession } from './session.js';

/** Presence is sampled every 50 ms and debounced over two samples. */
const PRESENCE_SETTLE_MS = 250;
const ADVERTISING_WAIT_MS = 15000;
const DEVICE_CERT_DAYS = 3650;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the booting firmware says it advertises (its radio is the last start-up step). */
function advertising(board: BoardSupervisor): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the device did not advertise within ${ADVERTISING_WAIT_MS / 1000} s`));
    }, ADVERTISING_WAIT_MS);
    const stop = board.onConsole((event) => {
      if (event.topic !== 'radio' || !event.text.startsWith('advertising')) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function request(session: Awaited<ReturnType<typeof openSession>>, name: string, args: Map<string, unknown>): Promise<void> {
  const r = await session.client.request(name, args as never);
  if (r.status !== Status.OK) throw new Error(`${name} refused with status ${r.status}`);
}

/** Provisions the board; resolves with the device's static key. */
export async function provisionDevice(board: BoardSupervisor, ids: DevIdentities, crypto: CryptoProvider, clock: Clock): Promise<Uint8Array> {
  const rootSecret = parsePrivateKeyPem(readFileSync(join(ids.dir, 'root.key.pem'), 'utf8')).secretKey;
  board.setInputs({ button: true });
  try {
    await advertising(board);
    await sleep(PRESENCE_SETTLE_MS);
    const session = await openSession(board.port(), { staticKey: ids.manufacturer, certificate: ids.manufacturer.certificate }, crypto, clock);
    try {
      const now = Math.floor(Date.now() / 1000);
      const certificate = issueCertificate(crypto, { secretKey: rootSecret, publicKey: ids.root.publicKey }, {
        role: 'device', subjectKey: session.deviceStatic, serial: crypto.randomBytes(8), notBefore: now - 86400, notAfter: now + DEVICE_CERT_DAYS * 86400,
      });
      await request(session, 'access.provision', new Map([['certificate', certificate]]));
      await request(session, 'access.time.set', new Map([['seconds', now]]));
      saveDevice(ids, session.deviceStatic, certificate);
      return session.deviceStatic;
    } finally {
      await session.link.close();
    }
  } finally {
    rootSecret.fill(0);
    board.setInputs({ button: false });
  }
}
