// The board's button under `implant run`: Enter holds it, Enter again releases it. The button
// is the magnet stand-in, i.e. physical presence: held 3 to 10 s and released, it opens the
// pairing window (docs/access-control.md, "Pairing").

export const BUTTON_HELP = "Press Enter to hold the board's button, Enter again to release it (held 3-10 s: pairing window).";

export function pressButtonOnEnter(press: (held: boolean) => void, note: (text: string) => void): void {
  let held = false;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', () => {
    held = !held;
    press(held);
    note(held ? '(button held)' : '(button released)');
  });
}
