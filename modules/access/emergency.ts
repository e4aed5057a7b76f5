// Emergency access has its own deliberate act (docs/access-control.md, "Emergency access"):
// presence held without a break for EMERGENCY.ARM_HOLD_MS, longer than any pairing gesture
// (pairing.ts opens its window only for a 3-10 s hold that is then released). The patient's
// pairing press therefore never arms it, and a stranger cannot ride on it. One act admits one
// emergency session: the first credential-less peer to authenticate while armed uses it up, and
// the next session needs presence released and held again for the whole time.
import type { PhysicalPresence } from './presence.js';
import { EMERGENCY } from './principal.js';

export class EmergencyArm {
  /** The current hold already gave its one emergency session. */
  private used = false;

  constructor(private readonly presence: PhysicalPresence) {
    presence.onChange(() => void (this.used = false));
  }

  /** Whether the current hold has lasted long enough and has not given its session yet. */
  isArmed(): boolean {
    return !this.used && this.presence.heldForMs() >= EMERGENCY.ARM_HOLD_MS;
  }

  /** Takes the current hold's one emergency session; false when not armed. */
  take(): boolean {
    if (!this.isArmed()) return false;
    this.used = true;
    return true;
  }
}
