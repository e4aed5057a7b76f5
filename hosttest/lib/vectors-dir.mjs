// Where the public test vectors live (README "Tests"): `../shared/vectors` beside the project, or
// the folder IMPLANT_VECTORS_DIR names. Both test runners call this first, so a missing folder
// stops the run with one clear message instead of a file error in every vector test.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Checks the vectors folder, publishes it as IMPLANT_VECTORS_DIR (absolute) and returns it. */
export function useVectorsDir(projectRoot) {
  const dir = resolve(projectRoot, process.env.IMPLANT_VECTORS_DIR ?? '../shared/vectors');
  for (const part of ['wycheproof', 'noise']) {
    if (!existsSync(join(dir, part))) {
      throw new Error(`test vectors not found: ${join(dir, part)} is missing. Put the shared vectors folder beside the project (../shared/vectors) or set IMPLANT_VECTORS_DIR to it.`);
    }
  }
  process.env.IMPLANT_VECTORS_DIR = dir;
  return dir;
}
