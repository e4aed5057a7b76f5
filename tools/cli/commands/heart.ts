// `implant heart`: runs the therapy engine against the virtual heart on the virtual clock and
// prints the marker trace with the trace checker's verdict (docs/therapy.md, "Try it").
import { existsSync } from 'node:fs';
import { intArg, UsageError } from '../args.js';
import type { Command } from '../command.js';
import type { PacingParameters } from '../../../modules/therapy/params.js';
import { isParameterName } from '../../../modules/therapy/validate.js';
import { SPEC_MODES } from '../../../host/heart/checker/spec.js';
import type { SpecMode } from '../../../host/heart/checker/spec.js';
import { loadScenario, ProgrammingError, runClosedLoop, SCENARIO_NAMES } from '../../../host/heart/closed-loop.js';
import { ScenarioError } from '../../../host/heart/scenario.js';
import type { Scenario } from '../../../host/heart/scenario.js';

function parseSet(items: string[]): Partial<PacingParameters> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq > 0 ? item.slice(0, eq) : '';
    if (!isParameterName(name)) throw new UsageError(`--set ${item}: expected name=value with a parameter name (docs/therapy.md)`);
    const raw = item.slice(eq + 1);
    out[name] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out as Partial<PacingParameters>;
}

function scenarioArg(value: string | undefined): Scenario {
  if (value === undefined) throw new UsageError('--scenario is required');
  if (!SCENARIO_NAMES.includes(value) && !existsSync(value)) {
    throw new UsageError(`--scenario ${value}: neither a scenario name (${SCENARIO_NAMES.join(', ')}) nor a file`);
  }
  try {
    return loadScenario(value);
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof SyntaxError) throw new UsageError(`--scenario ${value}: ${error.message}`);
    throw error;
  }
}

export const heartCommand: Command = {
  name: 'heart',
  summary: 'pace the virtual heart on the virtual clock and check the trace',
  usage: '--scenario NAME|FILE --mode MODE [--set name=value ...] [--minutes M] [--seed S] [--json]',
  flags: {
    scenario: { type: 'string', value: 'NAME|FILE', description: `a scenario name (${SCENARIO_NAMES.join(', ')}) or a scenario JSON file` },
    mode: { type: 'string', value: 'MODE', description: `pacing mode, any of the spec's 23 (OVO, OAO, ODO, OOO run as temporary sets): ${SPEC_MODES.join(', ')}` },
    set: { type: 'list', value: 'name=value', description: 'change a parameter (repeatable), e.g. --set lrl=50 --set atrMode=true' },
    minutes: { type: 'string', value: 'M', description: 'simulated minutes (default 10)' },
    seed: { type: 'string', value: 'S', description: 'heart model seed (default 1)' },
    json: { type: 'boolean', description: 'print {verdict, violations, events} as JSON' },
  },
  async run(args, io) {
    const scenario = scenarioArg(args.flags.scenario as string | undefined);
    const mode = args.flags.mode as SpecMode | undefined;
    if (mode === undefined || !SPEC_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${SPEC_MODES.join(', ')}`);
    const set = parseSet((args.flags.set as string[] | undefined) ?? []);
    const minutes = intArg('minutes', args.flags.minutes as string | undefined, 1, 24 * 60, 10);
    const seed = intArg('seed', args.flags.seed as string | undefined, 0, 0xffffffff, 1);
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    let result;
    try {
      result = runClosedLoop({ scenario, mode, set, minutes, seed });
    } catch (error) {
      if (error instanceof ProgrammingError) throw new UsageError(`--set: ${error.message}`);
      throw error;
    }
    const { verdict, violations, events } = result;
    if (args.flags.json) {
      io.out(JSON.stringify({ verdict, violations, events }));
    } else {
      io.out(events.map((e) => `${String(e.t_ms).padStart(8)}  ${e.type}`).join('\n'));
      const counts = new Map<string, number>();
      for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
      io.out(`\n${scenario.name}, ${mode}, ${minutes} min, seed ${seed}: ${[...counts].map(([t, n]) => `${t} ${n}`).join(', ')}`);
      for (const v of violations.slice(0, 20)) io.out(`violation ${v.property} at ${v.t_ms} ms: ${v.message}`);
      if (violations.length > 20) io.out(`... and ${violations.length - 20} more`);
      io.out(`verdict: ${verdict}`);
    }
    return verdict === 'pass' ? 0 : 1;
  },
};
