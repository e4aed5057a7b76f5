// Turns the firmware's console (trace text, modules/app/console.ts lines) into what `implant run`
// prints: the lines as they are, or one JSON object per line; pace and sense markers each on
// their own line, as a summary every few seconds, or not at all.
import { parseConsoleLine } from '../../../host/console-line.js';
import type { ConsoleEvent } from '../../../modules/app/console.js';

export type MarkerMode = 'each' | 'summary' | 'none';
export const MARKER_MODES: readonly MarkerMode[] = Object.freeze(['each', 'summary', 'none']);

export interface PrinterOptions {
  readonly json: boolean;
  readonly markers: MarkerMode;
  /** Seconds of markers per summary line. */
  readonly summarySeconds: number;
  readonly write: (line: string) => void;
}

export class ConsolePrinter {
  private partial = '';
  private counts = new Map<string, number>();
  private summaryStart: number | undefined;
  private lastMarker = 0;

  constructor(private readonly o: PrinterOptions) {}

  /** A chunk of trace output; complete lines are printed, the rest waits for its newline. */
  trace(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  /** Prints what is left: a partial line and a last marker summary. */
  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
    this.summary();
  }

  private line(line: string): void {
    const event = parseConsoleLine(line);
    if (!event) return this.print({ t: undefined, topic: 'trace', text: line }, line);
    if (event.topic === 'marker') return this.marker(event, line);
    this.print(event, line);
  }

  private marker(event: ConsoleEvent, line: string): void {
    if (this.o.markers === 'each') return this.print(event, line);
    if (this.o.markers === 'none') return;
    this.summaryStart ??= event.t;
    this.lastMarker = event.t;
    const code = event.text.split(' ')[0];
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    if (event.t - this.summaryStart >= this.o.summarySeconds * 1000) this.summary();
  }

  /** One line for the markers counted since the last summary. */
  private summary(): void {
    if (this.summaryStart === undefined || this.counts.size === 0) return;
    const end = this.lastMarker;
    const counts = Object.fromEntries([...this.counts].sort());
    const text = `${Object.entries(counts).map(([code, n]) => `${n} ${code}`).join(', ')} in the last ${((end - this.summaryStart) / 1000).toFixed(1)} s`;
    this.print({ t: end, topic: 'markers', text, counts }, `[${(end / 1000).toFixed(3).padStart(9)}] markers: ${text}`);
    this.counts = new Map();
    this.summaryStart = undefined;
  }

  private print(event: { t: number | undefined; topic: string; text: string; counts?: Record<string, number> }, line: string): void {
    if (!this.o.json) return this.o.write(line);
    const { t, ...rest } = event;
    this.o.write(JSON.stringify(t === undefined ? rest : { t_ms: t, ...rest }));
  }
}
