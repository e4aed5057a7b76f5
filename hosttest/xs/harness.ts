// A small mocha-compatible harness for the XS engine: `describe/it/before/beforeEach/after/
// afterEach`, sync, promise-returning and `done`-callback tests, run in mocha's order (hooks
// outside-in, a suite's own tests before its child suites). Results go to the Node runner.
import { askHost } from './host-bridge.js';

type Done = (error?: unknown) => void;
type Body = (this: Context, done: Done) => unknown;

/** What mocha hands tests as `this`; only the calls our tests may make. */
interface Context {
  timeout(ms?: number): Context;
  slow(ms?: number): Context;
}

interface Suite {
  readonly title: string;
  readonly parent: Suite | undefined;
  readonly tests: { title: string; body: Body }[];
  readonly suites: Suite[];
  readonly before: Body[];
  readonly after: Body[];
  readonly beforeEach: Body[];
  readonly afterEach: Body[];
}

function newSuite(title: string, parent: Suite | undefined): Suite {
  return { title, parent, tests: [], suites: [], before: [], after: [], beforeEach: [], afterEach: [] };
}

const root = newSuite('', undefined);
let current = root;
const context: Context = { timeout: () => context, slow: () => context };

function describe(title: string, fn: () => void): void {
  const suite = newSuite(title, current);
  current.suites.push(suite);
  current = suite;
  try {
    fn();
  } finally {
    current = suite.parent!;
  }
}

function fullTitle(suite: Suite, title?: string): string {
  const parts: string[] = title === undefined ? [] : [title];
  for (let s: Suite | undefined = suite; s && s !== root; s = s.parent) parts.unshift(s.title);
  return parts.join(' ');
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    // XS stacks start with "Name: message"; keep only frames that point into our code.
    const head = String(error);
    const frames = typeof error.stack === 'string' ? error.stack.split('\n').filter((l) => l.includes('(#0:')) : [];
    return [head, ...frames.map((l) => l.trim())].join('\n');
  }
  return `thrown non-Error: ${String(error)}`;
}

function invoke(body: Body): Promise<void> {
  if (body.length > 0) {
    return new Promise((resolve, reject) => {
      body.call(context, (error?: unknown) => (error ? reject(error) : resolve()));
    });
  }
  return Promise.resolve().then(() => body.call(context, () => {})).then(() => undefined);
}

function report(status: 'pass' | 'fail', title: string, error?: unknown): void {
  askHost({ op: 'result', status, title, ...(error === undefined ? {} : { error: describeError(error) }) });
}

function eachHooks(suite: Suite, kind: 'beforeEach' | 'afterEach'): Body[] {
  const chain: Suite[] = [];
  for (let s: Suite | undefined = suite; s; s = s.parent) chain.unshift(s);
  const hooks = chain.flatMap((s) => s[kind]);
  return kind === 'afterEach' ? hooks.reverse() : hooks;
}

async function runSuite(suite: Suite): Promise<void> {
  try {
    for (const hook of suite.before) await invoke(hook);
  } catch (error) {
    report('fail', `${fullTitle(suite)} "before all" hook`, error);
    return;
  }
  for (const test of suite.tests) {
    const title = fullTitle(suite, test.title);
    let failure: unknown;
    let failed = false;
    try {
      for (const hook of eachHooks(suite, 'beforeEach')) await invoke(hook);
      await invoke(test.body);
    } catch (error) {
      failed = true;
      failure = error;
    }
    try {
      for (const hook of eachHooks(suite, 'afterEach')) await invoke(hook);
    } catch (error) {
      if (!failed) failure = error;
      failed = true;
    }
    report(failed ? 'fail' : 'pass', title, failed ? failure : undefined);
  }
  for (const child of suite.suites) await runSuite(child);
  try {
    for (const hook of suite.after) await invoke(hook);
  } catch (error) {
    report('fail', `${fullTitle(suite)} "after all" hook`, error);
  }
}

const state = { finished: false };

/** Installs the mocha globals; test modules evaluated afterwards register into `root`. */
export function installHarness(): void {
  Object.assign(globalThis, {
    describe,
    it: (title: string, body: Body) => void current.tests.push({ title, body }),
    before: (body: Body) => void current.before.push(body),
    after: (body: Body) => void current.after.push(body),
    beforeEach: (body: Body) => void current.beforeEach.push(body),
    afterEach: (body: Body) => void current.afterEach.push(body),
    __implantRun(): void {
      runSuite(root).then(
        () => void (state.finished = true),
        (error: unknown) => {
          report('fail', 'harness', error);
          state.finished = true;
        },
      );
    },
    __implantFinished: () => state.finished,
  });
}
