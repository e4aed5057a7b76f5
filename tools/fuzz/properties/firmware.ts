// Fuzzing the assembled firmware (modules/app/firmware.ts on the host board, over the BLE shim):
// GATT writes before any handshake, and every registered command in authenticated sessions with
// arguments generated from its own schema, valid and invalid. Each property boots one board and
// keeps it across cases, as a device keeps its state across connections. Therapy must not be
// disturbed: without presence no command may change pacing, so every pace of the run must fall
// on the power-on schedule (VVI at the lower rate), to the millisecond of the virtual clock.
import fc from 'fast-check';
import type { CborValue } from '../../../modules/core/cbor.js';
import { IMPLANT_GATT } from '../../../modules/ble/gatt-layout.js';
import { fragmentMessage, MessageType } from '../../../modules/channel/framing.js';
import type { CommandSpec } from '../../../modules/channel/commands.js';
import { AccessStatus } from '../../../modules/access/status.js';
import { UpdateStatus } from '../../../modules/bootloader/status.js';
import { Status } from '../../../modules/channel/status.js';
import { TherapyStatus } from '../../../modules/therapy/status.js';
import { SimulatedCentral } from '../../../host/ble/radio.js';
import { run, settle } from '../../../host/board/drive.js';
import { programmerIdentity, programmerSession } from '../../../host/board/programmer-session.js';
import { SimBoard } from '../../../host/board/sim-board.js';
import type { Booted } from '../../../host/board/sim-board.js';
import { cborValue } from '../../../host/fixtures/cbor-arbitrary.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail } from './mutate.js';
import { argsFor } from './schema-values.js';

/** Every status a command may answer with: the channel's, access control's, therapy's and the updater's. */
const STATUS_CODES = new Set<number>([Status, AccessStatus, TherapyStatus, UpdateStatus].flatMap((table) => Object.values(table)));

/** Every pace so far falls on one fixed interval after the first: therapy was not disturbed. */
function checkPaceSchedule(b: Booted): void {
  const v = b.paces.filter((p) => p.chamber === 'V');
  if (v.length < 3) return;
  const interval = v[1].t - v[0].t;
  for (let i = 2; i < v.length; i++) {
    if (Math.abs(v[i].t - v[i - 1].t - interval) > 1) fail(`pace ${i} came ${v[i].t - v[i - 1].t} ms after the previous one, not ${interval} ms`);
  }
  if (v.some((p) => p.by !== 'worker')) fail('the backup pacer took over');
}

/**
 * With presence held a clinician may change pacing, so the schedule may change; what must hold
 * whatever is programmed is the spec's runaway limit (205 ppm: no two paces of a chamber closer
 * than 60000/205 ms), checked here against the spec's number, not the engine's constant.
 */
const RUNAWAY_PPM = 205;
function checkRunaway(b: Booted): void {
  for (const chamber of ['A', 'V'] as const) {
    const times = b.paces.filter((p) => p.chamber === chamber).map((p) => p.t);
    for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < Math.floor(60_000 / RUNAWAY_PPM)) fail(`${chamber} paces ${times[i] - times[i - 1]} ms apart`);
  }
}

/** A command name and arguments: a registered command with schema-shaped arguments, or anything. */
function requestFor(specs: readonly CommandSpec[]): fc.Arbitrary<{ name: string; args: CborValue }> {
  return fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...specs).chain((spec) => argsFor(spec.args.kind === 'struct' ? spec.args.fields : {}).map((args) => ({ name: spec.name, args }))) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 70 }), cborValue as fc.Arbitrary<CborValue>).map(([name, args]) => ({ name, args })) },
  );
}

/**
 * Every registered command, with schema-generated arguments, in one session of `role` kept open
 * across cases (reopened when the device ends it, as a programmer would). Without the magnet the
 * pace schedule must not move at all; with it held (from the session's start, never released, so
 * no pairing window opens) programming may succeed and only the runaway limit must hold.
 */
function commandProperty(role: 'clinician' | 'manufacturer', magnet: boolean): FuzzProperty {
  return {
    name: magnet
      ? `firmware commands as ${role} with the magnet held: any command, any arguments: a defined status, never a pace above the runaway limit`
      : `firmware commands as ${role}: every registered command, any arguments: a defined status, pacing untouched`,
    property: () => {
      const b = new SimBoard().boot();
      const specs = b.firmware.dispatcher!.specs();
      let open: Awaited<ReturnType<typeof programmerSession>> | undefined;
      return fc.asyncProperty(requestFor(specs), async (request) => {
        if (!open?.central.connected) {
          for (let waited = 0; !b.radio.advertising?.connectable && waited < 7_200_000; waited += 60_000) await run(b.clock, 60_000, 1000);
          open = await programmerSession(b, programmerIdentity(role, role === 'clinician' ? 5 : 6));
          if (magnet) {
            b.button(true);
            await run(b.clock, 200);
          }
        }
        let response;
        try {
          response = await settle(b.clock, open.client.request(request.name, request.args));
        } catch {
          // The device may end a session (too many refused frames, idle): a defined end, not a failure.
          open.central.disconnect();
          return;
        }
        if (!STATUS_CODES.has(response.status)) fail(`${request.name}: undefined status ${response.status}`);
        if (!magnet) return checkPaceSchedule(b);
        await run(b.clock, 2000, 50);
        checkRunaway(b);
      });
    },
  };
}

/** Fragments a stranger writes before any handshake: framed messages of every type, and junk. */
const strangerWrites = fc.array(fc.oneof(
  fc.tuple(fc.constantFrom(MessageType.HELLO, MessageType.HANDSHAKE, MessageType.TRANSPORT, MessageType.ALERT), fc.uint8Array({ minLength: 1, maxLength: 200 }))
    .map(([type, body]) => ({ bulk: false, fragments: fragmentMessage(type, body, 247) })),
  fc.uint8Array({ maxLength: 244 }).map((f) => ({ bulk: false, fragments: [f] })),
  fc.uint8Array({ maxLength: 244 }).map((f) => ({ bulk: true, fragments: [f] })),
), { minLength: 1, maxLength: 5 });

export const firmwareProperties: readonly FuzzProperty[] = [
  {
    name: 'firmware over BLE: a stranger\'s GATT writes before a handshake open nothing and never disturb pacing',
    property: () => {
      let b = new SimBoard().boot();
      const opened = () => b.console.filter((e) => e.topic === 'session' && /opened/.test(e.text)).length;
      return fc.asyncProperty(strangerWrites, async (writes) => {
        await run(b.clock, 1000);
        // The energy budget admits a few strangers a day, then keeps the device silent for hours
        // (docs/access-control.md): the campaign moves to a fresh board rather than wait that out.
        if (!b.radio.advertising?.connectable) {
          checkPaceSchedule(b);
          b.firmware.stop();
          b = new SimBoard().boot();
          await run(b.clock, 1000);
        }
        const central = new SimulatedCentral(b.radio);
        central.connect();
        central.exchangeMtu(247);
        const before = opened();
        for (const w of writes) {
          for (const f of w.fragments) {
            if (!central.connected) break;
            try {
              central.write(w.bulk ? IMPLANT_GATT.otaData : IMPLANT_GATT.control, f, { withoutResponse: w.bulk });
            } catch (error) {
              if (!(error instanceof Error && error.name === 'AttError')) throw error;
            }
          }
        }
        await run(b.clock, 200);
        if (opened() !== before) fail('a stranger\'s writes opened a session');
        central.disconnect();
        checkPaceSchedule(b);
      });
    },
  },
  commandProperty('clinician', false),
  commandProperty('manufacturer', false),
  commandProperty('clinician', true),
];
