// Runs inside the thread the worker shim starts (host/shims/worker.ts): installs the loader
// and `self`, selects wall time for the Timer shims (a worker runs in real time like the device;
// from its owner's time origin when the owner runs on real time, else from its own start),
// imports the host's preloads (host-control setWorkerPreloads), then the worker module, calls its
// default export if it is a function (as modWorker.c does), then tells the blocked constructor how
// it went.
import { register } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

register('../loader.mjs', import.meta.url);

const { url, shared, timeOrigin, preloads = [] } = workerData;
const status = new Int32Array(shared, 0, 1);

globalThis.self = {
  onmessage: undefined,
  postMessage: (message) => parentPort.postMessage(message),
  close: () => process.exit(0),
};
parentPort.on('message', (message) => {
  if (typeof globalThis.self.onmessage === 'function') globalThis.self.onmessage(message);
});

try {
  const { useRealTime } = await import('./host-control.ts');
  useRealTime(timeOrigin);
  for (const preload of preloads) await import(preload);
  const ns = await import(url);
  if (typeof ns.default === 'function') ns.default();
  Atomics.store(status, 0, 1);
} catch (error) {
  const text = new TextEncoder().encode(String(error?.message ?? error)).slice(0, 1023);
  new Uint8Array(shared, 4).set(text);
  Atomics.store(status, 0, 2);
}
Atomics.notify(status, 0);
