// The board's button under `implant run`: Enter holds it, Enter again releases it. The button
// is the magnet stand-in, i.e. physical presence: held 3 to 10 s and released, it opens the
// pairing window (docs/access-control.md, "Pairing").
import { pins } from '../../../host/shims/host-control.js';
import config from '../../../host/shims/mc/config.js';
import { pinsFromConfig } from '../../../modules/therapy/pin-maps.js';

export const BUTTON_HELP = "Press Enter to hold the board's button, Enter again to release it (held 3-10 s: pairing window).";

export function pressButtonOnEnter(note: (text: string) => void): void {
  const pin = pinsFromConfig(config).magnet;
  let held = false;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', () => {
    held = !held;
    pins().drive(pin, held ? 0 : 1); // the button pulls the line low
    note(held ? '(button held)' : '(button released)');
  });
}
