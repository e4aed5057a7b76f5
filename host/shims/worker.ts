// Host shim of Moddable "worker" (typings/web/worker.d.ts; modules/base/worker/modWorker.c,
// documentation/base/worker.md). The worker module runs in its own Node worker_threads thread,
// a separate JS realm as an XS machine is. As on the device:
// - the constructor returns only after the module has run (it blocks), and throws if it threw;
// - messages are copied (structured clone standing in for XS marshalling; what cannot be copied
//   throws in postMessage), delivered in order, to `onmessage(message)` on the other side;
// - inside the worker, `self.postMessage`, `self.onmessage` and `self.close()` exist;
// - after terminate(), or after the worker closed or died, postMessage throws "worker terminated".
// An exception that escapes the worker's code ends its thread; on the device an unhandled
// exception aborts the machine. The SDK gives the owner no error callback: it notices by silence.
// Creation options (memory sizes, priority, core) are accepted and checked for type only.
// Time: on a board both machines read one clock. When the owner runs on real time, the thread is
// given the owner's time origin, so its Timer and Time.ticks read the owner's time to the ms.
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import { realTimeOrigin, workerPreloads } from './host-control.js';

export interface WorkerOptions {
  static?: number;
  chunk?: { initial?: number; incremental?: number };
  heap?: { initial?: number; incremental?: number };
  stack?: number;
  keys?: { initial?: number; incremental?: number; name?: number; symbol?: number };
  nativeStack?: number;
  priority?: number;
  core?: number;
}

export interface WorkerSelf {
  onmessage?: (message: any) => void;
  postMessage(message: any): void;
  close(): void;
}

declare global {
  /** The worker's port to its owner, installed in the worker's realm (typings/web/worker.d.ts). */
  var self: WorkerSelf;
}

const ROOT = new URL('../../', import.meta.url);
const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const STARTUP_TIMEOUT_MS = 30_000;
const STATUS_RUNNING = 1;
const STATUS_FAILED = 2;
const ERROR_BYTES = 1024;

/** Resolves a module specifier as the manifest would: a path from the project root, .ts or .js. */
function moduleUrl(specifier: string): string {
  if (specifier.startsWith('file:')) return specifier;
  const base = isAbsolute(specifier) ? specifier : resolve(fileURLToPath(ROOT), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.js`]) if (existsSync(candidate)) return pathToFileURL(candidate).href;
  throw new Error(`worker: module ${specifier} not found`);
}

function checkOptions(options: WorkerOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw new TypeError('worker: options must be an object');
  for (const [key, value] of Object.entries(options)) {
    const nested = typeof value === 'object' && value !== null;
    if (!nested && typeof value !== 'number') throw new TypeError(`worker: option ${key} must be a number`);
  }
}

class Worker {
  /** Receives each message the worker posts (assign a function, or override in a subclass). */
  onmessage: ((message: any) => void) | null = null;
  readonly #thread: NodeWorker;
  #alive = true;

  constructor(module: string, options?: WorkerOptions) {
    checkOptions(options);
    const shared = new SharedArrayBuffer(4 + ERROR_BYTES);
    const status = new Int32Array(shared, 0, 1);
    this.#thread = new NodeWorker(BOOTSTRAP, { workerData: { url: moduleUrl(module), shared, timeOrigin: realTimeOrigin(), preloads: workerPreloads() }, execArgv: [] });
    if (Atomics.wait(status, 0, 0, STARTUP_TIMEOUT_MS) === 'timed-out') {
      void this.#thread.terminate();
      throw new Error('worker: module did not finish loading');
    }
    if (Atomics.load(status, 0) === STATUS_FAILED) {
      const bytes = new Uint8Array(shared, 4);
      const message = new TextDecoder().decode(bytes.slice(0, bytes.indexOf(0) < 0 ? ERROR_BYTES : bytes.indexOf(0)));
      this.#alive = false;
      void this.#thread.terminate();
      throw new Error(message);
    }
    if (Atomics.load(status, 0) !== STATUS_RUNNING) throw new Error('worker: unexpected start-up status');
    this.#thread.on('message', (message) => this.onmessage?.(message));
    this.#thread.on('error', () => {
      this.#alive = false;
    });
    this.#thread.on('exit', () => {
      this.#alive = false;
    });
  }

  postMessage(message: any): void {
    if (!this.#alive) throw new Error('worker terminated');
    this.#thread.postMessage(message);
  }

  terminate(): void {
    if (!this.#alive) return;
    this.#alive = false;
    void this.#thread.terminate();
  }
}

export default Worker;
