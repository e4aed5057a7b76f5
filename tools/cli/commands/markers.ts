// `implant markers --sim URL [--follow]`: the therapy machine's pace and sense markers, read over
// the secure channel (therapy.markers, clinician), the last --count of them, and with --follow
// each new one as it comes (the device copies markers out every 500 ms).
import type { Command } from '../command.js';
import { intArg } from '../args.js';
import { PROGRAMMER_FLAGS } from '../sim-client/identity.js';
import { programmerCommand, sleep } from '../sim-client/programmer.js';
import type { Programmer } from '../sim-client/programmer.js';

/** therapy.markers' page size (modules/therapy-control/commands.ts MARKER_PAGE). */
const PAGE = 64;
const POLL_MS = 500;

interface MarkerLine {
  seq: number;
  t: number;
  type: string;
}

/** Markers from sequence number `from` up to the newest. */
async function readFrom(p: Programmer, from: number): Promise<MarkerLine[]> {
  const out: MarkerLine[] = [];
  for (let next = from; ;) {
    const page = (await p.run('therapy.markers', new Map([['from', next], ['max', PAGE]]))) as { seq: number; markers: [number, string][] };
    page.markers.forEach(([t, type], i) => out.push({ seq: page.seq + i, t, type }));
    next = page.seq + page.markers.length;
    if (page.markers.length < PAGE) return out;
  }
}

const line = (m: MarkerLine) => `[${(m.t / 1000).toFixed(3).padStart(9)}] ${m.type}`;

export const markersCommand: Command = {
  name: 'markers',
  summary: 'show pace/sense markers (clinician); --follow streams new ones',
  usage: '--sim ws://HOST:PORT [--count N] [--follow [--seconds N]] [identity flags] [--json]',
  flags: {
    ...PROGRAMMER_FLAGS,
    count: { type: 'string', value: 'N', description: 'how many of the newest markers to show first (default 20)' },
    follow: { type: 'boolean', description: 'keep printing new markers (JSON: one object per line) until Ctrl-C' },
    seconds: { type: 'string', value: 'N', description: 'with --follow: stop after N seconds' },
  },
  run: (args, io) => {
    const count = intArg('count', args.flags.count as string | undefined, 0, 100000, 20);
    const seconds = args.flags.seconds === undefined ? undefined : intArg('seconds', args.flags.seconds as string, 1, 86400);
    const json = args.flags.json === true;
    return programmerCommand('markers', args, io, 'clinician', async (p) => {
      const history = await readFrom(p, 0);
      const shown = count === 0 ? [] : history.slice(-count);
      if (args.flags.follow !== true) return { json: { markers: shown }, text: shown.map(line).join('\n') };
      for (const m of shown) io.out(json ? JSON.stringify(m) : line(m));
      let next = history.length ? history[history.length - 1].seq + 1 : 0;
      const until = seconds === undefined ? Infinity : Date.now() + seconds * 1000;
      let stop = false;
      process.once('SIGINT', () => (stop = true));
      let printed = shown.length;
      while (!stop && Date.now() < until) {
        await sleep(POLL_MS);
        for (const m of await readFrom(p, next)) {
          io.out(json ? JSON.stringify(m) : line(m));
          next = m.seq + 1;
          printed++;
        }
      }
      return { json: { followed: printed }, text: `${printed} markers` };
    });
  },
};
