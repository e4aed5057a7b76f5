// `npm run campaign:storage -- --seeds N [--jobs J]`: the storage power-cut campaign. Cuts power
// at every erase and program operation of a fixed workload on the write sizes 1, 4 and 8 (the
// erase size is 4096), each cut once clean and once torn, then runs N random seeds with up to 5
// cuts each; spreads the work over J worker threads and prints one JSON summary. Exit code 0
// only when every cut recovered with nothing lost. `--seed S` reruns one seed and prints where
// each failure was found.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  addSummary, type CampaignSummary, emptySummary, runExhaustive, runSeed, WRITE_SIZES,
} from '../../host/campaign/storage-campaign.js';

type Task = { kind: 'exhaustive'; writeSize: number; part: number; parts: number } | { kind: 'seeds'; from: number; to: number };

function runTask(task: Task): CampaignSummary {
  if (task.kind === 'exhaustive') return runExhaustive(task.writeSize, (at) => at % task.parts === task.part);
  const summary = emptySummary();
  for (let seed = task.from; seed < task.to; seed++) addSummary(summary, runSeed(seed));
  return summary;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: campaign:storage [--seeds N] [--jobs J] [--no-exhaustive] | --seed S\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { seeds: number; jobs: number; exhaustive: boolean; seed?: number } {
  const options: { seeds: number; jobs: number; exhaustive: boolean; seed?: number } = { seeds: 1000, jobs: Math.min(2, availableParallelism()), exhaustive: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-exhaustive') {
      options.exhaustive = false;
      continue;
    }
    if (flag !== '--seeds' && flag !== '--jobs' && flag !== '--seed') usage(`unknown flag ${flag}`);
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < (flag === '--jobs' ? 1 : 0)) usage(`${flag} needs a whole number`);
    if (flag === '--seeds') options.seeds = value;
    else if (flag === '--seed') options.seed = value;
    else options.jobs = value;
  }
  return options;
}

function failuresOf(s: CampaignSummary): number {
  return s.lost_acknowledged + s.counter_regressions + s.chain_failures + s.half_visible + s.crashes + s.false_corruption + (s.cuts - s.recovered);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.seed !== undefined) {
    const summary = runSeed(options.seed, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exitCode = failuresOf(summary) === 0 ? 0 : 1;
    return;
  }
  const started = Date.now();
  const tasks: Task[] = [];
  if (options.exhaustive) for (const writeSize of WRITE_SIZES) for (let part = 0; part < 4; part++) tasks.push({ kind: 'exhaustive', writeSize, part, parts: 4 });
  const chunk = 250;
  for (let from = 1; from <= options.seeds; from += chunk) tasks.push({ kind: 'seeds', from, to: Math.min(options.seeds + 1, from + chunk) });
  const total = emptySummary();
  const workers = Array.from({ length: Math.min(options.jobs, Math.max(1, tasks.length)) }, () =>
    new Worker(new URL(import.meta.url), { execArgv: process.execArgv, workerData: { worker: true } }));
  await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
    const next = (): void => {
      const task = tasks.shift();
      if (task) worker.postMessage(task);
      else void worker.terminate().then(() => resolve());
    };
    worker.on('message', (summary: CampaignSummary) => {
      addSummary(total, summary);
      next();
    });
    worker.on('error', reject);
    next();
  })));
  const failures = failuresOf(total);
  const seconds = (ms: number): number => Math.round(ms / 100) / 10;
  const cpu = process.cpuUsage(); // the whole process, worker threads included
  process.stdout.write(`${JSON.stringify({ ...total, jobs: workers.length, wall_seconds: seconds(Date.now() - started), cpu_seconds: seconds((cpu.user + cpu.system) / 1000) })}\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

if (isMainThread) {
  await main();
} else if ((workerData as { worker?: boolean } | undefined)?.worker) {
  parentPort!.on('message', (task: Task) => parentPort!.postMessage(runTask(task)));
}
