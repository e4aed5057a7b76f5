// Physical presence: the board's button, standing in for the clinical magnet over the implant.
// A device adapter debounces the GPIO and calls set(); everything else asks this object.
// Presence is the second factor of high-risk commands; a 3-10 s press opens the pairing window
// (pairing.ts) and an unbroken 15 s hold arms one emergency session (emergency.ts). An attacker
// at radio range cannot assert it.
import type { Clock } from '../core/clock.js';

export type PresenceListener = (held: boolean) => void;

export class PhysicalPresence {
  private heldSince: number | undefined;
  private readonly listeners: PresenceListener[] = [];

  constructor(private readonly clock: Clock) {}

  /** Reports the debounced switch state; repeated equal states are ignored. */
  set(held: boolean): void {
    if (held === this.isHeld()) return;
    this.heldSince = held ? this.clock.now() : undefined;
    for (const listener of this.listeners.slice()) listener(held);
  }

  isHeld(): boolean {
    return this.heldSince !== undefined;
  }

  /** How long presence has been held without a break (0 when not held). */
  heldForMs(): number {
    return this.heldSince === undefined ? 0 : this.clock.now() - this.heldSince;
  }

  onChange(listener: PresenceListener): void {
    this.listeners.push(listener);
  }
}
