// Reads the firmware's console lines back (the format modules/app/console.ts writes) for
// `implant run` and the tests; host-only, so the device image needs no RegExp.
import { CONSOLE_TOPICS } from '../modules/app/console.js';
import type { ConsoleEvent, ConsoleTopic } from '../modules/app/console.js';

/** The event a console line carries, or undefined for any other text (a trace from elsewhere). */
export function parseConsoleLine(line: string): ConsoleEvent | undefined {
  const m = /^\[\s*(\d+\.\d{3})\] ([a-z]+): (.*)$/.exec(line);
  if (!m || !(CONSOLE_TOPICS as readonly string[]).includes(m[2])) return undefined;
  return { t: Math.round(Number(m[1]) * 1000), topic: m[2] as ConsoleTopic, text: m[3] };
}
