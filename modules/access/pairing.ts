// The pairing window (docs/access-control.md, "Pairing"). A new phone can bond only while the
// window is open, and the window opens only by a deliberate gesture at the device: hold the
// button for PAIRING_HOLD_MIN_MS..PAIRING_HOLD_MAX_MS, then release. A magnet left in place (a
// clinic visit, an emergency) never opens it. The window closes after PAIRING_WINDOW_MS or after
// one successful bond, whichever comes first. At most MAX_BONDS phones are bonded at a time.
// @req SEC-07 (docs/traceability.md)
import type { Clock, TimerHandle } from '../core/clock.js';
import type { PhysicalPresence } from './presence.js';

export const PAIRING = Object.freeze({
  HOLD_MIN_MS: 3000,
  HOLD_MAX_MS: 10000,
  WINDOW_MS: 60000,
  MAX_BONDS: 4,
});

export type PairingEvent = 'open' | 'closed-timeout' | 'closed-bonded';

export class PairingWindow {
  private closesAt: number | undefined;
  private timer: TimerHandle | undefined;
  private pressStart: number | undefined;

  constructor(
    private readonly clock: Clock,
    presence: PhysicalPresence,
    private readonly onEvent: (event: PairingEvent) => void = () => {},
  ) {
    presence.onChange((held) => this.onPresence(held));
  }

  isOpen(): boolean {
    return this.closesAt !== undefined && this.clock.now() < this.closesAt;
  }

  /** Called after a phone bonded: one bond per window. */
  bonded(): void {
    if (this.isOpen()) this.close('closed-bonded');
  }

  private onPresence(held: boolean): void {
    if (held) {
      this.pressStart = this.clock.now();
      return;
    }
    if (this.pressStart === undefined) return;
    const heldMs = this.clock.now() - this.pressStart;
    this.pressStart = undefined;
    if (heldMs >= PAIRING.HOLD_MIN_MS && heldMs <= PAIRING.HOLD_MAX_MS) this.open();
  }

  private open(): void {
    this.clock.clearTimeout(this.timer);
    this.closesAt = this.clock.now() + PAIRING.WINDOW_MS;
    this.timer = this.clock.setTimeout(() => this.close('closed-timeout'), PAIRING.WINDOW_MS);
    this.onEvent('open');
  }

  private close(event: PairingEvent): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.closesAt = undefined;
    this.onEvent(event);
  }
}
