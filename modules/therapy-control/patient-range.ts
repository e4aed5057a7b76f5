// Patient actions (docs/therapy.md, "Patient range"; docs/access-control.md, "The patient").
// A clinician sets the range of lower rate limits the patient's phone may choose; the patient
// may then move the LRL inside that range, and mark a symptom. Every check of a parameter is
// the therapy module's own (checkValue, applyChanges); a patient rate goes through the ordinary
// permanent programming path, where the therapy machine validates it again. With no range set
// (the default) every patient adjustment is refused.
import { decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborValue } from '../core/cbor.js';
import type { Clock } from '../core/clock.js';
import { fail, ok } from '../channel/commands.js';
import type { CommandReply } from '../channel/commands.js';
import type { ParamsCodec } from '../storage/params-store.js';
import type { PacingParameters } from '../therapy/params.js';
import { TherapyStatus } from '../therapy/status.js';
import { applyChanges, checkValue } from '../therapy/validate.js';
import { answer, toCbor } from './commands.js';
import type { TherapyPort } from './commands.js';

/** Inclusive bounds of the lower rate limit the patient may program, both on the LRL grid. */
export interface PatientRange {
  readonly lrlMin: number;
  readonly lrlMax: number;
}

/** Where the range is kept at rest; `Storage.params(patientRangeCodec, RecordKeys.patientRange)` in the firmware. */
export interface PatientRangeStore {
  load(): { value: PatientRange | null };
  save(range: PatientRange | null): void;
}

/** Symptom marks kept in RAM for interrogation (the audit log keeps them across resets). */
const MAX_SYMPTOMS = 16;


/** The range on the LRL grid and ordered; null when it is not. */
function checkedRange(lrlMin: unknown, lrlMax: unknown): PatientRange | null {
  if (checkValue('lrl', lrlMin) || checkValue('lrl', lrlMax)) return null;
  return (lrlMin as number) <= (lrlMax as number) ? { lrlMin: lrlMin as number, lrlMax: lrlMax as number } : null;
}

export const patientRangeCodec: ParamsCodec<PatientRange | null> = Object.freeze({
  encode: (range: PatientRange | null): Uint8Array => encodeCbor(range ? [range.lrlMin, range.lrlMax] : null),
  decode(bytes: Uint8Array): PatientRange | null | undefined {
    let value: CborValue;
    try {
      value = decodeCbor(bytes, { maxBytes: 16, maxDepth: 1, maxItems: 2 });
    } catch {
      return undefined;
    }
    if (value === null) return null;
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    return checkedRange(value[0], value[1]) ?? undefined;
  },
  // No range: patient adjustments are refused until a clinician sets one.
  defaults: () => null,
});

function refuse(status: number, message: string, parameter = 'lrl'): CommandReply {
  return { status, result: toCbor({ parameter, message }) };
}

/** The patient range and the patient's actions over the therapy port (the persisting one, so a patient rate is saved); their commands are in commands.ts. */
export class PatientActions {
  private range: PatientRange | null;
  private readonly symptoms: number[] = [];

  constructor(private readonly therapy: TherapyPort, private readonly store: PatientRangeStore | undefined, private readonly clock: Clock) {
    this.range = store ? store.load().value : null;
  }

  current(): PatientRange | null {
    return this.range;
  }

  /** The therapy port with the patient's symptom marks added to interrogation, for the clinician. */
  port(): TherapyPort {
    return {
      markers: (from, max) => this.therapy.markers(from, max),
      request: async (body) => {
        const reply = await this.therapy.request(body);
        if (body.op !== 'interrogate' || !reply.ok) return reply;
        return { ...reply, result: { ...(reply.result as object), symptoms: this.symptoms.slice() } };
      },
    };
  }

  /** The clinician's range (null: none set). */
  getRange(): CborValue {
    return toCbor(this.range);
  }

  /** A symptom mark from the patient, kept for interrogation (the audit log keeps it across resets). */
  markSymptom(): CommandReply {
    this.symptoms.push(this.clock.now());
    if (this.symptoms.length > MAX_SYMPTOMS) this.symptoms.shift();
    return ok();
  }

  /** A clinician sets the range: both ends on the grid, ordered, and valid with the present permanent parameters. */
  async setRange(lrlMin: number, lrlMax: number): Promise<CommandReply> {
    const range = checkedRange(lrlMin, lrlMax);
    if (!range) {
      const offGrid = checkValue('lrl', lrlMin) ?? checkValue('lrl', lrlMax);
      return offGrid ? refuse(TherapyStatus.PARAMETER_RANGE, offGrid.message) : refuse(TherapyStatus.PARAMETER_CONFLICT, 'lrlMin must not exceed lrlMax');
    }
    const state = await this.therapy.request({ op: 'interrogate' });
    const permanent = state.ok ? (state.result as { permanent?: PacingParameters } | undefined)?.permanent : undefined;
    if (!permanent) return fail(TherapyStatus.THERAPY_UNAVAILABLE);
    // Every LRL limit is monotonic in the rate, so both ends valid means the whole range is.
    for (const lrl of [range.lrlMin, range.lrlMax]) {
      const checked = applyChanges(permanent, { lrl });
      if (!checked.ok) return refuse(TherapyStatus.PARAMETER_CONFLICT, `${lrl} ppm: ${checked.error.message}`, checked.error.parameter);
    }
    this.store?.save(range);
    this.range = range;
    return ok();
  }

  /** The patient's lower rate, inside the range, through the ordinary permanent programming path. */
  async setRate(lrl: number): Promise<CommandReply> {
    const offGrid = checkValue('lrl', lrl);
    if (offGrid) return refuse(TherapyStatus.PARAMETER_RANGE, offGrid.message);
    const range = this.range;
    if (!range || lrl < range.lrlMin || lrl > range.lrlMax) {
      return refuse(TherapyStatus.OUT_OF_PATIENT_RANGE, range ? `the clinician allows ${range.lrlMin}-${range.lrlMax} ppm` : 'no patient range is set');
    }
    return answer(await this.therapy.request({ op: 'program', target: 'permanent', changes: { lrl } }));
  }
}
