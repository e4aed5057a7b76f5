// The therapy machine as the main machine starts it on the device: `new Worker(THERAPY_WORKER_MODULE,
// config.therapyWorker)` (modules/app/device-platform.ts) runs device-worker.ts in its own XS
// machine, with the manifest's creation sizes and scheduling (docs/therapy.md, "Memory").
export const THERAPY_WORKER_MODULE = 'modules/therapy/device-worker';
