// A seeded, deterministic `crypto.getRandomValues` for the XS engine on the host (which has no
// `crypto`) and for benchmarks. TEST ONLY: it makes every "random" key predictable. The device
// installs its hardware RNG instead (modules/crypto/device-random.ts), and a test
// (hosttest/crypto/device-closure.test.ts) proves no device build can reach this file.
import { installRandomSource } from '../../modules/crypto/random-source.js';
import { Prng } from '../lib/prng.js';

/** Installs the seeded source as `globalThis.crypto`; must run before anything loads noble. */
export function installSeededRandom(seed: number): void {
  const prng = new Prng(seed);
  installRandomSource((bytes) => bytes.set(prng.bytes(bytes.length)));
}
