// Evaluated first in every XS test bundle, before the test file and anything it imports, so
// that the random source exists when noble loads (noble decides about scalar blinding at load).
import type { TestHost } from '../lib/host.js';
import { installHarness } from './harness.js';
import { askHost } from './host-bridge.js';
import { installSeededRandom } from '../../host/xs/seeded-random.js';

/** Fixed so that XS runs repeat exactly; noble only uses it for blinding and key generation. */
const TEST_RNG_SEED = 0x1badb002;

installSeededRandom(TEST_RNG_SEED);

const host: TestHost = {
  readText: (path) => askHost<{ text: string }>({ op: 'readText', path }).text,
  env: (name) => askHost<{ value?: string }>({ op: 'env', name }).value,
  engine: 'xs',
  log: (line) => void askHost({ op: 'log', line }),
};
(globalThis as { __implantTestHost?: TestHost }).__implantTestHost = host;

installHarness();
