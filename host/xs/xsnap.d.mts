// Types of xsnap.mjs for TypeScript callers (tests).
export const workerPath: string;
export function requireWorker(): string;
export class XSError extends Error {}
export interface Meter {
  compute: number;
  currentHeapCount: number;
  allocate: number;
}
export interface XSWorker {
  child: import('node:child_process').ChildProcess;
  evaluate(source: string): Promise<{ meter: Meter; result: Uint8Array }>;
  runModule(path: string): Promise<{ meter: Meter; result: Uint8Array }>;
  evaluateJson(expression: string): Promise<{ meter: Meter; value: unknown }>;
  close(): Promise<void>;
}
export function startWorker(options?: {
  onCommand?: (bytes: Uint8Array) => Uint8Array | string | Promise<Uint8Array | string>;
}): XSWorker;
export function decodeText(bytes: Uint8Array): string;
