// `implant lab sniff|replay --sim URL`: the attacker's side of two security-lab exercises
// (docs/labs/): what a radio eavesdropper records of a genuine clinician session, and what the
// implant does when those recorded frames are written back to it in a new connection.
//   sniff   runs a clinician interrogation through a recorder of every GATT write and
//           notification (what a sniffer on the air sees) and looks for the interrogation's
//           plaintext in the recording
//   replay  records the same session, then connects as a stranger and writes the recorded frames
//           verbatim, and reports how the device answered (docs/protocol.md: Noise IK, nonces)
import { fromHex, toHex, utf8 } from '../../../modules/core/bytes.js';
import { encodeCbor } from '../../../modules/core/cbor.js';
import { MessageType, Reassembler } from '../../../modules/channel/framing.js';
import { GattLink } from '../../../host/bridge/gatt-link.js';
import type { GattCall, GattPort } from '../../../host/bridge/gatt-link.js';
import { fullUuid } from '../../../host/bridge/protocol.js';
import { IMPLANT_GATT } from '../../../modules/ble/gatt-layout.js';
import type { GattEvent } from '../../../host/bridge/protocol.js';
import { openSession } from '../../../host/bridge/session.js';
import { WallClock } from '../../../host/shims/host/wall-clock.js';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { UsageError } from '../args.js';
import type { Command } from '../command.js';
import { BridgeSocket } from '../sim-client/bridge-socket.js';
import { PROGRAMMER_FLAGS, resolveIdentity, simUrl } from '../sim-client/identity.js';
import { describeStatus, failure, Programmer, sleep } from '../sim-client/programmer.js';

interface Captured {
  readonly direction: 'to-device' | 'from-device';
  readonly characteristic: string;
  readonly value: Uint8Array;
}

/** A GATT port that passes everything through and keeps what crossed the air. */
class RecordingPort implements GattPort {
  readonly captured: Captured[] = [];

  constructor(private readonly inner: GattPort) {}

  call(request: GattCall): Promise<Record<string, unknown>> {
    if (request.op === 'write') this.captured.push({ direction: 'to-device', characteristic: request.characteristic, value: fromHex(request.value) });
    return this.inner.call(request);
  }

  onEvent(listener: (event: GattEvent) => void): void {
    this.inner.onEvent((event) => {
      if (event.event === 'notification') this.captured.push({ direction: 'from-device', characteristic: event.characteristic, value: fromHex(event.value) });
      listener(event);
    });
  }
}

/** A genuine clinician session that interrogates the implant, recorded. Returns the recording and the reply. */
async function recordedInterrogation(sim: string, args: Parameters<typeof resolveIdentity>[0]): Promise<{ captured: Captured[]; reply: unknown }> {
  const identity = await resolveIdentity(args, 'clinician');
  const socket = await BridgeSocket.open(sim);
  const recorder = new RecordingPort(socket);
  const session = await openSession(recorder, identity, nobleProvider, new WallClock());
  const programmer = new Programmer(session, identity, sim, socket);
  try {
    return { captured: recorder.captured, reply: await programmer.run('therapy.interrogate') };
  } finally {
    await programmer.close();
  }
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
};

/** Strings of the interrogation reply an eavesdropper would look for, as they travel in CBOR. */
function plaintextProbes(reply: unknown): Uint8Array[] {
  const words = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 3) words.add(v);
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (k.length >= 4 && words.add(k), walk(x)));
  };
  walk(reply);
  return [...words].slice(0, 40).map((w) => encodeCbor(w)).concat([utf8('therapy.interrogate')]);
}

async function sniff(sim: string, args: Parameters<typeof resolveIdentity>[0]) {
  const { captured, reply } = await recordedInterrogation(sim, args);
  const probes = plaintextProbes(reply);
  const air = captured.map((c) => c.value);
  const leaked = probes.filter((p) => air.some((frame) => contains(frame, p))).map((p) => toHex(p));
  const bytes = air.reduce((n, f) => n + f.length, 0);
  return {
    json: { frames: captured.length, bytes, probes: probes.length, plaintextFound: leaked.length > 0, leaked },
    text: `captured ${captured.length} GATT frames (${bytes} bytes) of a clinician interrogation\n`
      + `searched them for ${probes.length} plaintext strings of the reply and the command name: ${leaked.length === 0 ? 'none found (every frame after the handshake is encrypted)' : `FOUND ${leaked.length}`}`,
    code: leaked.length === 0 ? 0 : 1,
  };
}

/** Writes recorded frames to the device in a new connection; returns the messages it answered with. */
async function replayFrames(sim: string, frames: Captured[]) {
  const socket = await BridgeSocket.open(sim);
  const deadline = Date.now() + 5000;
  let link: GattLink;
  for (;;) {
    try {
      link = await GattLink.open(socket);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
  const messages: { type: number; body: Uint8Array }[] = [];
  const reassembler = new Reassembler({ clock: new WallClock(), onMessage: (m) => messages.push(m), onError: () => {} });
  let disconnected = false;
  link.listen((fragment) => reassembler.push(fragment, link.mtu), () => void (disconnected = true));
  for (const f of frames) {
    if (disconnected) break;
    if (f.characteristic === fullUuid(IMPLANT_GATT.otaData)) link.writeBulk(f.value);
    else link.write(f.value);
    await sleep(50);
  }
  await sleep(500);
  await link.close();
  socket.close();
  return { messages, disconnected };
}

async function replay(sim: string, args: Parameters<typeof resolveIdentity>[0]) {
  const { captured } = await recordedInterrogation(sim, args);
  const written = captured.filter((c) => c.direction === 'to-device');
  const { messages, disconnected } = await replayFrames(sim, written);
  const alerts = messages.filter((m) => m.type === MessageType.ALERT).map((m) => m.body[0]);
  const transportReplies = messages.filter((m) => m.type === MessageType.TRANSPORT).length;
  const handshakeAnswered = messages.some((m) => m.type === MessageType.HANDSHAKE);
  // The replayed command frame was sealed under the first session's keys: the device cannot open it.
  const executed = transportReplies > 0;
  const words = alerts.map((s) => `${describeStatus(s)} (status ${s})`).join(', ') || 'none';
  return {
    json: { replayedFrames: written.length, handshakeAnswered, transportReplies, alerts, disconnected, commandExecuted: executed },
    text: `replayed ${written.length} recorded frames in a new connection\n`
      + `handshake answered: ${handshakeAnswered ? 'yes (a fresh ephemeral key: the replayer cannot read it)' : 'no'}\n`
      + `replayed command executed: ${executed ? 'YES' : 'no'}; alerts from the device: ${words}${disconnected ? '; the device ended the connection' : ''}`,
    code: executed ? 1 : 0,
  };
}

const EXERCISES = Object.freeze({ sniff, replay });

export const labCommand: Command = {
  name: 'lab',
  summary: 'security-lab attacker tools against the simulator: sniff (eavesdrop a session) and replay (replay its frames)',
  usage: 'sniff|replay --sim ws://HOST:PORT [--as ROLE | --key PEM [--cert FILE]] [--device-key PEM] [--json]',
  flags: PROGRAMMER_FLAGS,
  run: async (args, io) => {
    const exercise = args.positionals[0] as keyof typeof EXERCISES | undefined;
    if (!exercise || !(exercise in EXERCISES) || args.positionals.length !== 1) throw new UsageError('lab needs one exercise: sniff or replay');
    const sim = simUrl(args);
    try {
      const result = await EXERCISES[exercise](sim, args);
      io.out(args.flags.json === true ? JSON.stringify(result.json) : result.text);
      return result.code;
    } catch (error) {
      const { code, message } = failure(error);
      io.err(`implant lab ${exercise}: ${message}`);
      return code;
    }
  },
};
