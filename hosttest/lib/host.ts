// What a portable test may ask of the machine running it: files of the project and of the
// shared test vectors, and environment variables. Node installs this from hosttest/setup-node.ts;
// the XS runner installs the same interface over issueCommand.

export interface TestHost {
  /** Text of a file; a relative path is taken from the project root. */
  readText(path: string): string;
  env(name: string): string | undefined;
  /** Where the test runs, for printed counts. */
  readonly engine: 'node' | 'xs';
  /** Prints a line of test output (counts, summaries). */
  log(line: string): void;
}

export function testHost(): TestHost {
  const host = (globalThis as { __implantTestHost?: TestHost }).__implantTestHost;
  if (!host) throw new Error('no test host installed (run through mocha or the XS runner)');
  return host;
}

/** Absolute path of a vector file; both runners check the folder first (hosttest/lib/vectors-dir.mjs). */
export function vectorsPath(file: string): string {
  const dir = testHost().env('IMPLANT_VECTORS_DIR');
  if (!dir) throw new Error('IMPLANT_VECTORS_DIR is not set: run the tests through mocha or the XS runner');
  return `${dir}/${file}`;
}

export function readVectorJson<T = unknown>(file: string): T {
  return JSON.parse(testHost().readText(vectorsPath(file))) as T;
}
