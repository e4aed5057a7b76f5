// Evaluated first in the benchmark bundle: the seeded RNG must exist before noble loads, or
// noble turns scalar blinding off and the figures would not be the ones the device sees.
import { installSeededRandom } from '../host/xs/seeded-random.js';

installSeededRandom(0xbe7c4);
