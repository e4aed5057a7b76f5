// The simulator as a user starts it (`implant run`), as a child process on a free port with its
// own state directory, for the end-to-end tests; and the CLI run in this process with its output
// captured. Every wait is bounded.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../tools/cli/main.js';

const CLI = fileURLToPath(new URL('../../bin/implant.mjs', import.meta.url));

export interface SimLine {
  t_ms?: number;
  topic: string;
  text: string;
}

export interface RunningSim {
  readonly url: string;
  readonly port: number;
  readonly lines: SimLine[];
  readonly child: ChildProcess;
  /** What the simulator wrote to stderr (the board's crashes land here). */
  stderr(): string;
  /** Resolves with the first line (already seen or to come) that matches, or rejects after timeoutMs. */
  waitFor(match: (line: SimLine) => boolean, timeoutMs: number): Promise<SimLine>;
  /** Ctrl-C: resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export function startSim(stateDir: string, options: { fresh: boolean; timeoutMs?: number }): Promise<RunningSim> {
  const child = spawn(process.execPath, [CLI, 'run', '--port', '0', '--state', stateDir, '--json', ...(options.fresh ? ['--fresh'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: SimLine[] = [];
  const waiters: { match: (l: SimLine) => boolean; resolve: (l: SimLine) => void }[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const text of parts) {
      let line: SimLine;
      try {
        line = JSON.parse(text) as SimLine;
      } catch {
        line = { topic: 'raw', text };
      }
      lines.push(line);
      for (const w of waiters.slice()) if (w.match(line)) waiters.splice(waiters.indexOf(w), 1), w.resolve(line);
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const waitFor = (match: (l: SimLine) => boolean, timeoutMs: number) => new Promise<SimLine>((resolve, reject) => {
    const seen = lines.find(match);
    if (seen) return resolve(seen);
    const timer = setTimeout(() => reject(new Error(`simulator: no matching line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
    waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const opened = waitFor((l) => l.topic === 'simulator' && /^Open http:\/\/127\.0\.0\.1:\d+\//.test(l.text), options.timeoutMs ?? 30000);
  opened.catch(() => child.kill('SIGKILL')); // never leave a simulator behind
  return opened.then((line) => {
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(line.text)![1]);
    return {
      url: `ws://127.0.0.1:${port}`,
      port,
      lines,
      child,
      stderr: () => stderr,
      waitFor,
      stop: (timeoutMs = 15000) => {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        return exited.finally(() => clearTimeout(timer));
      },
    };
  });
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
  /** stdout as JSON (the last line, for commands that print one object). */
  json(): any;
}

/** `implant ARGS...` in this process, output captured. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t.endsWith('\n') ? t : `${t}\n`), err: (t) => (err += t.endsWith('\n') ? t : `${t}\n`) });
  return { code, out, err, json: () => JSON.parse(out.trim().split('\n').at(-1)!) };
}
