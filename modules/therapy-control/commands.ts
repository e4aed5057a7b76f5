// Therapy commands for the secure channel (docs/therapy.md, "Commands"): main-machine glue
// between the channel's dispatcher and the TherapySupervisor, kept out of modules/therapy so that
// therapy depends on nothing of the radio or the channel. Who may run each one is
// the access policy's business (modules/access/policy.ts); these only define names, argument
// schemas and handlers. Every handler forwards to the therapy machine, which validates again.
import { defineCommand, fail, ok } from '../channel/commands.js';
import type { CommandReply, CommandSpec } from '../channel/commands.js';
import { NO_ARGS, s } from '../channel/schema.js';
import type { FieldSchema } from '../channel/schema.js';
import type { CborValue } from '../core/cbor.js';
import { ALL_MODES, PROGRAMMABLE_MODES } from '../therapy/modes.js';
import { ACTIVITY_THRESHOLDS, PARAMETER_TABLE } from '../therapy/params.js';
import type { ParameterSpec } from '../therapy/params.js';
import type { Reply } from '../therapy/protocol.js';
import { TherapyStatus } from '../therapy/status.js';
import type { RequestBody } from './supervisor.js';
import type { PatientActions } from './patient-range.js';
import type { TherapyErrorCode } from '../therapy/therapy.js';

/** What the commands need from the main side's TherapySupervisor. */
export interface TherapyPort {
  request(body: RequestBody): Promise<Reply>;
  markers(from: number, max: number): { seq: number; markers: { t: number; type: string }[] };
}

/** Most markers one request returns (a few BLE packets). */
export const MARKER_PAGE = 64;

/** Every parameter, optional, bounded by its grid's extremes; the grid itself is checked in the therapy machine. */
function parameterFields(modes: readonly string[]): Record<string, FieldSchema> {
  const fields: Record<string, FieldSchema> = { mode: s.optional(s.enumOf(modes)) };
  for (const [name, spec] of Object.entries(PARAMETER_TABLE)) {
    if (spec.kind === 'bool') fields[name] = s.optional(s.bool());
    else if (spec.kind === 'enum') fields[name] = s.optional(s.enumOf(ACTIVITY_THRESHOLDS));
    else {
      const values = spec.spans.flatMap(([min, max]) => [min, max]).concat(spec.off ?? []);
      fields[name] = s.optional(s.int(Math.min(...values), Math.max(...values)));
    }
  }
  return fields;
}

const PARAMETER_ARGS = s.struct(parameterFields(PROGRAMMABLE_MODES));
/** A temporary set may also use the sensing-only modes (§3.5). */
const TEMPORARY_ARGS = s.struct(parameterFields(ALL_MODES));

const STATUS_OF: Readonly<Record<TherapyErrorCode, number>> = Object.freeze({
  'not-an-object': TherapyStatus.BAD_MESSAGE,
  'unknown-parameter': TherapyStatus.UNKNOWN_PARAMETER,
  type: TherapyStatus.PARAMETER_RANGE,
  range: TherapyStatus.PARAMETER_RANGE,
  conflict: TherapyStatus.PARAMETER_CONFLICT,
  'safe-mode': TherapyStatus.SAFE_MODE,
  battery: TherapyStatus.BATTERY,
  integrity: TherapyStatus.INTEGRITY,
  state: TherapyStatus.THERAPY_STATE,
  'bad-message': TherapyStatus.BAD_MESSAGE,
  unavailable: TherapyStatus.THERAPY_UNAVAILABLE,
});

/** Plain data to CBOR: objects become text-keyed maps, undefined fields are left out. */
export function toCbor(value: unknown): CborValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toCbor);
  const map = new Map<string, CborValue>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) map.set(k, toCbor(v));
  return map;
}

/** A therapy machine reply as a command reply, with the documented status codes. */
export function answer(reply: Reply): CommandReply {
  if (reply.ok) return ok(reply.result === undefined ? undefined : toCbor(reply.result));
  if (reply.error.code === 'unavailable') return fail(TherapyStatus.THERAPY_UNAVAILABLE);
  const result = reply.error.parameter ? toCbor({ parameter: reply.error.parameter, message: reply.error.message }) : toCbor({ message: reply.error.message });
  return { status: STATUS_OF[reply.error.code], result };
}

export function therapyCommands(therapy: TherapyPort): CommandSpec[] {
  const forward = (body: RequestBody) => therapy.request(body).then(answer);
  const simple = (name: string, op: 'interrogate' | 'end-temporary' | 'pace-now' | 'reset-counters' | 'clear-safe-mode') =>
    defineCommand({ name, args: NO_ARGS, maxArgBytes: 1, handler: () => forward({ op }) });
  return [
    simple('therapy.interrogate', 'interrogate'),
    defineCommand({
      name: 'therapy.program',
      args: PARAMETER_ARGS,
      maxArgBytes: 768,
      handler: (changes) => forward({ op: 'program', target: 'permanent', changes: changes as Record<string, number | boolean | string> }),
    }),
    defineCommand({
      name: 'therapy.program-temporary',
      args: TEMPORARY_ARGS,
      maxArgBytes: 768,
      handler: (changes) => forward({ op: 'program', target: 'temporary', changes: changes as Record<string, number | boolean | string> }),
    }),
    simple('therapy.end-temporary', 'end-temporary'),
    simple('therapy.pace-now', 'pace-now'),
    simple('therapy.reset-counters', 'reset-counters'),
    simple('therapy.clear-safe-mode', 'clear-safe-mode'),
    defineCommand({
      name: 'therapy.markers',
      args: s.struct({ from: s.uint32(), max: s.int(1, MARKER_PAGE) }),
      maxArgBytes: 24,
      handler: ({ from, max }) => {
        const page = therapy.markers(from, max);
        return ok(toCbor({ seq: page.seq, markers: page.markers.map((m) => [m.t, m.type]) }));
      },
    }),
  ];
}

/** A lower rate argument: any integer between the LRL grid's extremes (the grid itself is checked by the handler). */
const LRL_SPANS = (PARAMETER_TABLE.lrl as Extract<ParameterSpec, { kind: 'grid' }>).spans;
const LRL_ARG = s.int(LRL_SPANS[0][0], LRL_SPANS[LRL_SPANS.length - 1][1]);

/** The patient range (the clinician's) and the patient's own actions inside it (patient-range.ts). */
export function patientCommands(patient: PatientActions): CommandSpec[] {
  return [
    defineCommand({ name: 'therapy.patient-range.get', args: NO_ARGS, maxArgBytes: 1, handler: () => ok(patient.getRange()) }),
    defineCommand({
      name: 'therapy.patient-range.set',
      args: s.struct({ lrlMin: LRL_ARG, lrlMax: LRL_ARG }),
      maxArgBytes: 24,
      handler: ({ lrlMin, lrlMax }) => patient.setRange(lrlMin, lrlMax),
    }),
    defineCommand({ name: 'therapy.patient.set-rate', args: s.struct({ lrl: LRL_ARG }), maxArgBytes: 12, handler: ({ lrl }) => patient.setRate(lrl) }),
    defineCommand({ name: 'therapy.patient.symptom', args: NO_ARGS, maxArgBytes: 1, handler: () => patient.markSymptom() }),
  ];
}
