// Noise detection (PACEMAKER spec §5.5: "in the presence of continuous noise the device response
// shall be asynchronous pacing"). Every pulse on a sensed lead reaches the detector, including
// pulses inside blanking, which are otherwise ignored: hiding them from it split a noise train
// into pulses far enough apart to pass as real senses, and noise inhibited pacing. A pulse within
// the noise interval of the previous pulse on its lead is noise, and noise is never credited as a
// sense, so the chamber paces asynchronously at its escape interval while the noise lasts. The
// one exception keeps crosstalk from hiding a real beat: a pulse shortly after a lone blanked
// pulse (an atrial pace artefact seen on the ventricular lead) is judged as a sense, unless the
// lead was already noisy.
// @req SAF-05
import type { Chamber } from './markers.js';

export class NoiseDetector {
  private last = { A: -Infinity, V: -Infinity };
  private lastBlanked = { A: false, V: false };
  private noisy = { A: false, V: false };

  constructor(private readonly intervalMs: number) {}

  /** Records one pulse on a lead; returns true when it is noise. */
  pulse(chamber: Chamber, t: number, blanked: boolean): boolean {
    const close = t - this.last[chamber] <= this.intervalMs;
    const noise = close && (this.noisy[chamber] || !this.lastBlanked[chamber]);
    this.last[chamber] = t;
    this.lastBlanked[chamber] = blanked;
    this.noisy[chamber] = noise;
    return noise;
  }
}
