// The full closed-loop matrix for more seeds than the test suite runs: every scenario in every
// mode for 10 simulated minutes per seed, judged at 1 ms. Prints failures and the wall time.
// Usage: npm run heart:matrix [-- SEEDS]   (default 3 seeds; the suite runs one)
import { PROGRAMMABLE_MODES } from '../../modules/therapy/modes.js';
import { loadScenario, runClosedLoop, SCENARIO_NAMES } from '../../host/heart/closed-loop.js';

const seeds = Number(process.argv[2] ?? 3);
const started = performance.now();
let runs = 0, failures = 0;
for (const name of SCENARIO_NAMES) {
  const scenario = loadScenario(name);
  for (const mode of PROGRAMMABLE_MODES) {
    if (mode === 'Off') continue;
    for (let seed = 1; seed <= seeds; seed++) {
      const r = runClosedLoop({ scenario, mode, minutes: 10, seed });
      runs++;
      if (r.verdict === 'pass') continue;
      failures++;
      console.log(`FAIL ${name} ${mode} seed ${seed}: ${r.violations.slice(0, 3).map((v) => `${v.property}@${v.t_ms}`).join(', ')}`);
    }
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`${runs} runs (${SCENARIO_NAMES.length} scenarios x ${PROGRAMMABLE_MODES.length - 1} modes x ${seeds} seeds) of 10 simulated minutes: `
  + `${failures} failed, ${seconds.toFixed(1)} s wall time (${((seconds * 1000) / runs).toFixed(0)} ms per run)`);
process.exitCode = failures ? 1 : 0;
