// Checks that need the heart's own record (closed-loop runs only): what each sense really was,
// and whether the ventricle really beat. The marker trace alone cannot tell a noise pulse or a
// crosstalk artefact credited as a sense from a heartbeat, nor a pause the markers paper over.
import type { Chamber } from './spec.js';

export type Origin = 'intrinsic' | 'premature' | 'retrograde' | 'conducted' | 'escape' | 'paced' | 'noise' | 'crosstalk';

/** The virtual heart's record (host/heart/heart.ts `HeartTruth`), restated as the checker reads it. */
export interface Truth {
  activations: readonly { t: number; chamber: Chamber; source: Origin }[];
  senses: readonly { t: number; chamber: Chamber; origin: Origin }[];
}

/** What reached a lead at a ms (the device marks one sense per ms), and the signal before it. */
export class SenseOrigins {
  private readonly byKey = new Map<string, { origin: Origin; previous: number }>();

  constructor(truth: Truth | undefined) {
    const last = { A: -Infinity, V: -Infinity };
    for (const s of truth?.senses ?? []) {
      if (s.t === last[s.chamber]) continue;
      this.byKey.set(`${s.chamber}${s.t}`, { origin: s.origin, previous: last[s.chamber] });
      last[s.chamber] = s.t;
    }
  }

  of(chamber: Chamber, t: number): Origin | undefined {
    return this.byKey.get(`${chamber}${t}`)?.origin;
  }

  /** The previous signal on the lead, marked or not (a blanked pulse is still a pulse); undefined without the heart's record. */
  previous(chamber: Chamber, t: number): number | undefined {
    return this.byKey.get(`${chamber}${t}`)?.previous;
  }
}

export const isArtefact = (o: Origin | undefined): boolean => o === 'noise' || o === 'crosstalk';

/** A stretch of time during which the device was meant to pace the ventricle, and its longest allowed pause. */
export interface PacingSegment {
  from: number;
  pacesVentricle: boolean;
  /** Longest allowed gap between ventricular beats in the segment. */
  maxGapMs: number;
}

/**
 * J3 (deadlock freedom) on the heart's side: while the device paces the ventricle and its lead is
 * connected, the ventricle beats at least every `maxGapMs` (two escape intervals: one pace may
 * legitimately fall in tissue refractory after an undersensed beat). Returns [t, message] pairs.
 */
export function ventricularPauses(truth: Truth, segments: readonly PacingSegment[], endMs: number,
  leadOff: (from: number, to: number) => boolean): [number, string][] {
  const beats = truth.activations.filter((a) => a.chamber === 'V').map((a) => a.t);
  const out: [number, string][] = [];
  let previous = 0;
  for (const t of [...beats, endMs]) {
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i];
      if (!s.pacesVentricle) continue;
      const from = Math.max(previous, s.from);
      const to = Math.min(t, segments[i + 1]?.from ?? endMs);
      if (to - from > s.maxGapMs && !leadOff(from, to)) {
        out.push([from + s.maxGapMs, `no ventricular beat for ${to - from} ms (from ${from} ms) while pacing the ventricle; at most ${s.maxGapMs} ms`]);
      }
    }
    previous = t;
  }
  return out;
}
