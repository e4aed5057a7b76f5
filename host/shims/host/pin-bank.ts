// The simulated GPIO lines behind the pins/digital and pins/digital/monitor shims. Tests drive
// input levels and read what a logic analyser on each pin would record; the shims configure
// pins, write output registers and hook edge interrupts here.

export type Level = 0 | 1;

/** Mode numbers of the SDK's pins/digital (Digital.Input ... Digital.OutputOpenDrain). */
export const PinMode = Object.freeze({
  Input: 0,
  InputPullUp: 1,
  InputPullDown: 2,
  InputPullUpDown: 3,
  Output: 8,
  OutputOpenDrain: 9,
});

/** One change of a line's level. */
export interface Edge {
  at: number;
  pin: number;
  level: Level;
}

interface Pin {
  /** Undefined until configured: the reset state, a floating input. */
  mode: number | undefined;
  /** The output register. */
  latch: Level;
  /** The level something outside the chip applies, if any. */
  driven: Level | undefined;
  /** The edge interrupt a monitor installed. */
  onEdge: ((rising: boolean) => void) | undefined;
}

export class PinBank {
  /** Every level change of every pin, in order: the logic analyser view. */
  readonly edges: Edge[] = [];
  private readonly pins = new Map<number, Pin>();

  constructor(private readonly now: () => number) {}

  /** Applies a level from outside the chip (a sensed signal, a button). */
  drive(pin: number, level: Level): void {
    const p = this.pin(pin);
    if (p.mode === PinMode.Output) throw new Error(`pin ${pin} is a push-pull output: driving it from outside would short the driver`);
    this.change(pin, () => (p.driven = level));
  }

  /** The electrical level of the line. Floating inputs read 0 here (on a chip they are undefined). */
  level(pin: number): Level {
    const p = this.pin(pin);
    if (p.mode === PinMode.Output) return p.latch;
    if (p.mode === PinMode.OutputOpenDrain) return p.latch === 0 ? 0 : (p.driven ?? 1);
    return p.driven ?? (p.mode === PinMode.InputPullUp ? 1 : 0);
  }

  /** The configured mode, or undefined for a pin no code has configured. */
  mode(pin: number): number | undefined {
    return this.pins.get(pin)?.mode;
  }

  /** Edges of one pin. */
  edgesOf(pin: number): Edge[] {
    return this.edges.filter((e) => e.pin === pin);
  }

  // The shims' side.

  configure(pin: number, mode: number): void {
    const p = this.pin(pin);
    this.change(pin, () => (p.mode = mode));
  }

  setLatch(pin: number, level: Level): void {
    const p = this.pin(pin);
    this.change(pin, () => (p.latch = level));
  }

  latch(pin: number): Level {
    return this.pin(pin).latch;
  }

  /** Installs the edge interrupt of a monitor; one per pin, as the GPIO drivers allow. */
  attach(pin: number, onEdge: (rising: boolean) => void): void {
    const p = this.pin(pin);
    if (p.onEdge) throw new Error(`pin ${pin} already has an edge monitor`);
    p.onEdge = onEdge;
  }

  detach(pin: number): void {
    this.pin(pin).onEdge = undefined;
  }

  private pin(pin: number): Pin {
    let p = this.pins.get(pin);
    if (!p) this.pins.set(pin, (p = { mode: undefined, latch: 0, driven: undefined, onEdge: undefined }));
    return p;
  }

  private change(pin: number, mutate: () => void): void {
    const before = this.level(pin);
    mutate();
    const after = this.level(pin);
    if (after === before) return;
    this.edges.push({ at: this.now(), pin, level: after });
    this.pins.get(pin)!.onEdge?.(after === 1);
  }
}
