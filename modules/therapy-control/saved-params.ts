// The permanent pacing parameters at rest. Storage keeps them sealed (ParamsStore) with this
// codec: a CBOR map of every parameter plus the therapy engine's checksum, accepted back only
// when therapy's own validation passes. At boot the stored set is restored into the therapy
// machine (which checks grid and checksum again); after each successful permanent programming
// the machine's new set is saved. Nothing valid stored: therapy stays at its power-on values.
import { decodeCbor, encodeCbor } from '../core/cbor.js';
import type { CborValue } from '../core/cbor.js';
import type { ParamsCodec, ParamsStore } from '../storage/params-store.js';
import type { TherapyPort } from './commands.js';
import { parameterChecksum } from '../therapy/engine.js';
import { POR } from '../therapy/params.js';
import type { PacingParameters } from '../therapy/params.js';
import type { Reply } from '../therapy/protocol.js';
import type { RequestBody } from './supervisor.js';
import { applyChanges } from '../therapy/validate.js';

const CHECKSUM_KEY = 'checksum';

export const therapyParamsCodec: ParamsCodec<PacingParameters> = Object.freeze({
  encode(params: PacingParameters): Uint8Array {
    const map = new Map<string, CborValue>(Object.entries(params));
    map.set(CHECKSUM_KEY, parameterChecksum(params));
    return encodeCbor(map);
  },
  decode(bytes: Uint8Array): PacingParameters | undefined {
    let map: CborValue;
    try {
      map = decodeCbor(bytes, { maxBytes: 1024, maxDepth: 1, maxItems: 64 });
    } catch {
      return undefined;
    }
    if (!(map instanceof Map)) return undefined;
    const record: Record<string, unknown> = {};
    for (const [k, v] of map) if (typeof k === 'string' && k !== CHECKSUM_KEY) record[k] = v;
    const checked = applyChanges(POR, record, true);
    if (!checked.ok || map.get(CHECKSUM_KEY) !== parameterChecksum(checked.params)) return undefined;
    return checked.params;
  },
  // The power-on reset values: what therapy runs anyway until a valid set is restored.
  defaults: () => ({ ...POR }),
});

export type ParamsNotice = (ok: boolean, text: string) => void;

/** Restores the stored permanent set into the therapy machine, if a valid one is stored. */
export async function restoreParams(therapy: TherapyPort, store: ParamsStore<PacingParameters>, notice: ParamsNotice): Promise<void> {
  const loaded = store.load();
  if (loaded.source === 'defaults') {
    notice(loaded.problem === 'missing', loaded.problem === 'missing'
      ? 'no stored parameters (never programmed): power-on reset values stay'
      : `stored parameters unusable (${loaded.problem}): power-on reset values stay until a clinician programs`);
    return;
  }
  const params = loaded.value;
  const reply = await therapy.request({ op: 'restore', params: { ...params }, checksum: parameterChecksum(params) });
  notice(reply.ok, reply.ok ? `stored parameters restored: ${summary(params)}` : `stored parameters refused by therapy: ${reply.error.message}`);
}

/** The therapy port of the commands, saving the permanent set after every successful permanent programming. */
export function persistingTherapy(therapy: TherapyPort, store: ParamsStore<PacingParameters>, notice: ParamsNotice): TherapyPort {
  return {
    markers: (from, max) => therapy.markers(from, max),
    async request(body: RequestBody): Promise<Reply> {
      const reply = await therapy.request(body);
      if (!reply.ok || body.op !== 'program' || body.target !== 'permanent') return reply;
      const state = await therapy.request({ op: 'interrogate' });
      const permanent = state.ok ? (state.result as { permanent?: PacingParameters } | undefined)?.permanent : undefined;
      try {
        if (!permanent) throw new Error('the therapy machine did not report its parameters');
        store.save(permanent);
        notice(true, `new parameters saved: ${summary(permanent)}`);
      } catch (error) {
        // Therapy runs the new set now; after a reset the previous stored set comes back.
        notice(false, `new parameters NOT saved (${error instanceof Error ? error.message : String(error)}): the previous set returns after a reset`);
      }
      return reply;
    },
  };
}

function summary(p: PacingParameters): string {
  return `${p.mode} ${p.lrl}-${p.url} ppm`;
}
