// The checker's view of ATR (spec §5.6): it follows the atrial rate from the markers and the ATR
// markers the device emits, and says where the device's ATR went wrong. Bounds: checker/spec.ts.
import { ATR_DURATION_SLACK, ATR_END_INTERVALS, ATR_ONSET_FAST_INTERVALS } from './spec.js';

export type AtrPhase = 'idle' | 'duration' | 'fallback';

export class AtrMonitor {
  phase: AtrPhase = 'idle';
  private durationEvents = 0;
  private episode = 0;
  private fastRun = 0;
  private slowRun = 0;
  private vSinceAtrial = 0;
  private lastAtrial = -Infinity;
  private readonly reported = new Set<string>();

  /** §5.6: every atrial signal, noise-marked ones too (flutter waves come as fast as noise). */
  atrialSignal(t: number, uri: number): void {
    const fast = t - this.lastAtrial < uri;
    this.lastAtrial = t;
    this.fastRun = fast ? this.fastRun + 1 : 0;
    this.slowRun = fast ? 0 : this.slowRun + 1;
    this.vSinceAtrial = 0;
  }

  /** At each ventricular event: the problems found there, each reported once per episode. */
  ventricularEvent(t: number, enabled: boolean, uri: number, duration: number): string[] {
    this.vSinceAtrial++;
    const out: string[] = [];
    const once = (key: string, message: string): void => {
      if (!this.reported.has(key)) out.push(message);
      this.reported.add(key);
    };
    if (!enabled) {
      if (this.phase !== 'idle') once(`off-${this.episode}`, 'ATR still on after it was programmed off, the magnet came or the mode stopped tracking');
      return out;
    }
    if (this.phase === 'idle') {
      if (this.fastRun >= ATR_ONSET_FAST_INTERVALS && this.vSinceAtrial <= 1) once(`onset-${Math.floor(t / 60000)}`, `${this.fastRun} consecutive atrial intervals faster than the URL without ATR onset`);
      return out;
    }
    if (this.ended()) once(`end-${this.episode}`, `ATR still ${this.phase === 'fallback' ? 'in fallback' : 'counting'} after the atrial tachycardia ended (${this.slowRun} slow atrial intervals in a row, ${this.vSinceAtrial} ventricular events since an atrial signal)`);
    // §5.6: "If AT ends during that count, the count stops": Duration counts V events while the atrium is fast.
    const ongoing = this.slowRun === 0 && t - this.lastAtrial <= uri;
    if (this.phase === 'duration' && ongoing && ++this.durationEvents > duration + ATR_DURATION_SLACK) once(`fb-${this.episode}`, `no ATR fallback ${duration} cycles after onset`);
    return out;
  }

  /** An ATR marker: the problems with it. */
  marker(type: 'ATR-Dur' | 'ATR-FB' | 'ATR-End', enabled: boolean, duration: number): string[] {
    const out: string[] = [];
    if (type === 'ATR-Dur') {
      if (this.phase !== 'idle') out.push('ATR onset while ATR is already on');
      if (!enabled) out.push('ATR onset while ATR is off or the mode does not track');
      this.phase = 'duration';
      this.durationEvents = 0;
      this.episode++;
    } else if (type === 'ATR-FB') {
      if (this.phase !== 'duration') out.push('fallback without an ATR onset');
      if (this.durationEvents < duration - 1) out.push(`fallback ${this.durationEvents} cycles after onset, before ATR Duration ${duration}`);
      if (this.ended()) out.push('fallback after the atrial tachycardia ended');
      this.phase = 'fallback';
    } else {
      if (this.phase === 'idle') out.push('ATR end without an ATR episode');
      this.phase = 'idle';
    }
    if (type !== 'ATR-FB') this.fastRun = 0;
    return out;
  }

  /** §5.6: the AT has ended when the atrial intervals are slow again, or the atrium has fallen silent. */
  private ended(): boolean {
    return this.slowRun >= ATR_END_INTERVALS || this.vSinceAtrial >= ATR_END_INTERVALS;
  }
}
