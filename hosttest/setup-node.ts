// Mocha setup: installs the test host for portable tests running on Node.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestHost } from './lib/host.js';
import { useVectorsDir } from './lib/vectors-dir.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
try {
  useVectorsDir(root);
} catch (error) {
  // Exit rather than throw: mocha would retry this file through require() and report that
  // retry's syntax error instead of this message.
  console.error((error as Error).message);
  process.exit(2);
}

const host: TestHost = {
  readText: (path) => readFileSync(resolve(root, path), 'utf8'),
  env: (name) => process.env[name],
  engine: 'node',
  log: (line) => console.log(`      ${line}`),
};

(globalThis as { __implantTestHost?: TestHost }).__implantTestHost = host;
