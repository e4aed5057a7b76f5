// Event counters and rate histograms for interrogation (spec §4.6); all cleared together.
import type { MarkerType } from './markers.js';

/** Histogram bins: 10 ppm wide from 30 ppm; the first bin also takes slower, the last faster. */
export const HISTOGRAM_FIRST_PPM = 30;
export const HISTOGRAM_BIN_PPM = 10;
export const HISTOGRAM_BINS = 18;

const COUNTED = Object.freeze(['AS', 'AT', 'AP', 'AR', 'AN', 'VS', 'VP', 'VR', 'VN', 'PVC', 'ATR-FB', 'PMT', 'PVP', 'VSP', 'MAG-ON'] as const);
type Counted = (typeof COUNTED)[number];
const HISTOGRAMMED = Object.freeze(['AS', 'AP', 'VS', 'VP'] as const);
type Histogrammed = (typeof HISTOGRAMMED)[number];

export interface CountersReport {
  counts: Record<Counted, number>;
  /** Rate histograms of AP, AS, VP, VS by the interval since the previous event in the chamber. */
  histograms: Record<Histogrammed, number[]>;
}

export class Counters {
  private counts!: Record<Counted, number>;
  private histograms!: Record<Histogrammed, number[]>;
  private lastInChamber: { A?: number; V?: number } = {};

  constructor() {
    this.reset();
  }

  reset(): void {
    this.counts = Object.fromEntries(COUNTED.map((k) => [k, 0])) as Record<Counted, number>;
    this.histograms = Object.fromEntries(HISTOGRAMMED.map((k) => [k, new Array<number>(HISTOGRAM_BINS).fill(0)])) as Record<Histogrammed, number[]>;
    this.lastInChamber = {};
  }

  record(t: number, type: MarkerType): void {
    if ((COUNTED as readonly string[]).includes(type)) this.counts[type as Counted]++;
    // An AT is an atrial sense faster than the URL: it belongs in the AS histogram.
    const histogram = type === 'AT' ? 'AS' : type;
    if (!(HISTOGRAMMED as readonly string[]).includes(histogram)) return;
    const chamber = histogram[0] as 'A' | 'V';
    const previous = this.lastInChamber[chamber];
    this.lastInChamber[chamber] = t;
    if (previous === undefined || t <= previous) return;
    const ppm = 60000 / (t - previous);
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((ppm - HISTOGRAM_FIRST_PPM) / HISTOGRAM_BIN_PPM)));
    this.histograms[histogram as Histogrammed][bin]++;
  }

  report(): CountersReport {
    return {
      counts: { ...this.counts },
      histograms: Object.fromEntries(HISTOGRAMMED.map((k) => [k, this.histograms[k].slice()])) as Record<Histogrammed, number[]>,
    };
  }
}
