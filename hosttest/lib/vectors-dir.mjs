// Where the public test vectors live (hosttest/vectors/README.md): the repository's own copies in
// hosttest/vectors, or the folder IMPLANT_VECTORS_DIR names (for example a newer Wycheproof
// release). Both test runners call this first, so a missing or incomplete override stops the run
// with one clear message instead of a file error in every vector test.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const NEEDED = Object.freeze(['wycheproof', 'noise/cacophony.json']);

/** Checks the vectors folder, publishes it as IMPLANT_VECTORS_DIR (absolute) and returns it. */
export function useVectorsDir(projectRoot) {
  const dir = resolve(projectRoot, process.env.IMPLANT_VECTORS_DIR ?? 'hosttest/vectors');
  for (const part of NEEDED) {
    if (!existsSync(join(dir, part))) {
      throw new Error(`test vectors not found: ${join(dir, part)} is missing. IMPLANT_VECTORS_DIR must name a folder laid out like hosttest/vectors.`);
    }
  }
  process.env.IMPLANT_VECTORS_DIR = dir;
  return dir;
}
