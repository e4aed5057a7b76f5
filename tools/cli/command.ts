// The shape of one `implant` subcommand. Each lives in tools/cli/commands/<name>.ts and is
// listed once in tools/cli/commands/index.ts.
import type { FlagSpecs, Parsed } from './args.js';

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Usage line after `implant <name>`, e.g. "[--seed S] FILE". */
  usage: string;
  flags: FlagSpecs;
  /** Returns the process exit code: 0 success, 1 failure, 2 usage error. */
  run(args: Parsed, io: CliIO): Promise<number>;
}
