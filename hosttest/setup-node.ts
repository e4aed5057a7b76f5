// Mocha setup: installs the test host for portable tests running on Node.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestHost } from './lib/host.js';
import { useVectorsDir } from './lib/vectors-dir.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
useVectorsDir(root);

const host: TestHost = {
  readText: (path) => readFileSync(resolve(root, path), 'utf8'),
  env: (name) => process.env[name],
  engine: 'node',
  log: (line) => console.log(`      ${line}`),
};

(globalThis as { __implantTestHost?: TestHost }).__implantTestHost = host;
