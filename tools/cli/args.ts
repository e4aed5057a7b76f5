// Strict argument parsing for the CLI: every flag is declared, unknown or malformed ones are
// a usage error (exit code 2) that names the offending argument and changes nothing.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** 'boolean' flags take no value; 'string' flags take one; 'list' flags may repeat. */
  type: 'boolean' | 'string' | 'list';
  short?: string;
  description: string;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

export interface Parsed {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: FlagSpecs): Parsed {
  const flags: Parsed['flags'] = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([name, s]) => [s.short!, name]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : byShort.get(arg.slice(1));
    const name = rawName !== undefined && specs[rawName] ? rawName : undefined;
    if (!name) throw new UsageError(`unknown option ${arg}`);
    const spec = specs[name];
    if (spec.type === 'boolean') {
      if (eq > 0) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
    if (spec.type === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
    else if (flags[name] !== undefined) throw new UsageError(`option --${name} given twice`);
    else flags[name] = value;
  }
  return { flags, positionals };
}

/** Parses a decimal integer argument within bounds, or throws a UsageError naming it. */
export function intArg(name: string, value: string | undefined, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function formatFlags(specs: FlagSpecs): string {
  return Object.entries(specs)
    .map(([name, s]) => {
      const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'boolean' ? '' : ` ${s.value ?? 'VALUE'}`}`;
      return `  ${left.padEnd(30)} ${s.description}`;
    })
    .join('\n');
}
