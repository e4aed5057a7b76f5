// Entry of the `implant` command line: dispatches to a subcommand, prints help, and turns
// usage errors into exit code 2 with one clear line on stderr.
import { formatFlags, parseArgs, UsageError } from './args.js';
import type { CliIO } from './command.js';
import { commands } from './commands/index.js';

const io: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: implant <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'implant <command> --help' for a command's options. Most commands accept --json.",
  ].join('\n');
}

export async function main(argv: string[], output: CliIO = io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    output.out(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    output.err(`implant: unknown command "${name}"\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    output.out(`usage: implant ${command.name} ${command.usage}\n\n${command.summary}\n\noptions:\n${formatFlags(command.flags)}`);
    return 0;
  }
  try {
    return await command.run(parseArgs(rest, command.flags), output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`implant ${command.name}: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
