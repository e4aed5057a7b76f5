// The live marker feed: polls `therapy.markers` (clinician) from where the last page ended, and
// turns ventricular events into a rate. Each marker keeps the device's timestamp and the page
// time it arrived, so the strip can place it and the latency can be measured.
import type { CborValue } from '../../../modules/core/cbor.js';
import type { ImplantSession } from './session.js';

export interface LiveMarker {
  /** Device time, ms (the therapy machine's clock). */
  readonly t: number;
  readonly type: string;
  /** performance.now() when its page arrived. */
  readonly receivedAt: number;
}

/** The most markers one page returns (MARKER_PAGE on the device). */
const PAGE = 64;

function page(result: CborValue): { seq: number; markers: [number, string][] } {
  if (!(result instanceof Map)) return { seq: 0, markers: [] };
  const seq = result.get('seq');
  const markers = result.get('markers');
  return {
    seq: typeof seq === 'number' ? seq : 0,
    markers: Array.isArray(markers) ? (markers.filter((m) => Array.isArray(m) && typeof m[0] === 'number' && typeof m[1] === 'string') as [number, string][]) : [],
  };
}

export class MarkerFeed {
  private next = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly session: ImplantSession, private readonly onMarkers: (batch: LiveMarker[]) => void, private readonly intervalMs = 200) {}

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.stopped || !this.session.isOpen) return;
    let full = false;
    try {
      const result = page(await this.session.call('therapy.markers', { from: this.next, max: PAGE }));
      const receivedAt = performance.now();
      this.next = result.seq + result.markers.length;
      full = result.markers.length === PAGE;
      if (result.markers.length > 0) this.onMarkers(result.markers.map(([t, type]) => ({ t, type, receivedAt })));
    } catch {
      return; // the session ended (or the role may not read markers): the screen says so
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), full ? 0 : this.intervalMs);
  }
}

const VENTRICULAR = new Set(['VP', 'VS', 'PVC']);

export function isVentricular(type: string): boolean {
  return VENTRICULAR.has(type);
}

/** Beats per minute over the last `beats` ventricular intervals, or undefined with too few. */
export function ventricularRate(markers: readonly LiveMarker[], beats = 4): number | undefined {
  const v = markers.filter((m) => isVentricular(m.type)).slice(-(beats + 1));
  if (v.length < 2) return undefined;
  return Math.round((60000 * (v.length - 1)) / (v[v.length - 1].t - v[0].t));
}
