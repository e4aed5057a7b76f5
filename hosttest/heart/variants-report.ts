// Part of `npm run heart:matrix`: proves the checker on every broken engine variant of
// hosttest/therapy/broken-variants.ts (the spec engine passes the run, the variant is caught by
// its property) and prints how many were caught. Exit 1 when one was not.
import { loadScenario, runClosedLoop } from '../../host/heart/closed-loop.js';
import { BROKEN_VARIANTS } from '../therapy/broken-variants.js';

const SEED = 11;
let caught = 0;
for (const v of BROKEN_VARIANTS) {
  const options = { scenario: loadScenario(v.scenario), mode: v.mode, set: v.set, minutes: 10, seed: SEED };
  const specPasses = runClosedLoop(options).verdict === 'pass';
  const found = new Set(runClosedLoop({ ...options, rules: v.rules }).violations.map((x) => x.property));
  if (specPasses && found.has(v.caughtBy)) caught++;
  else console.log(`NOT CAUGHT ${v.name} (${v.scenario}, ${v.mode}): spec engine ${specPasses ? 'passes' : 'fails'}, variant flagged ${[...found].join(', ') || 'nothing'}`);
}
console.log(`broken engine variants caught: ${caught} of ${BROKEN_VARIANTS.length} (seed ${SEED}, 10 simulated minutes each)`);
process.exitCode = caught === BROKEN_VARIANTS.length ? 0 : 1;
