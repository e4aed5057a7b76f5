// The programmer's side of an update: begin with the manifest, stream the image in chunks with
// a window of requests in flight (each response acknowledges the committed offset), resume
// where the device says after a lost link, then activate. Portable: the CLI and the web app
// drive it over the secure channel's client (programmer/client.ts fits OtaLink).
import type { CborValue } from '../modules/core/cbor.js';
import { Status } from '../modules/channel/status.js';
import { UpdateError } from '../modules/bootloader/errors.js';
import { splitPackage } from '../modules/bootloader/package.js';
import { updateErrorOf } from '../modules/bootloader/status.js';

export interface OtaLink {
  /** `bulk` asks for the link's bulk path (GATT write without response on the OTA data characteristic). */
  request(name: string, args?: CborValue, options?: { bulk?: boolean }): Promise<{ readonly status: number; readonly result: CborValue }>;
}

export interface OtaProgress {
  readonly committed: number;
  readonly size: number;
  /** Links lost and resumed so far. */
  readonly resumes: number;
}

export interface OtaClientOptions {
  /** Opens a session to the device (again, after a lost link). */
  readonly connect: () => Promise<OtaLink>;
  readonly onProgress?: (progress: OtaProgress) => void;
  /** Largest chunk to send (the device's own limit applies too). */
  readonly chunkBytes?: number;
  /** Links lost before giving up. */
  readonly maxResumes?: number;
}

/** A failure the device answered with a status; `code` names update errors. */
export class OtaError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(`device refused: ${code} (status ${status})`);
    this.name = 'OtaError';
  }
}

function field(result: CborValue, name: string): CborValue | undefined {
  return result instanceof Map ? result.get(name) : undefined;
}

function num(result: CborValue, name: string): number {
  const v = field(result, name);
  if (typeof v !== 'number') throw new OtaError(Status.INTERNAL_ERROR, `response without ${name}`);
  return v;
}

async function call(link: OtaLink, name: string, args?: CborValue, bulk = false): Promise<CborValue> {
  const r = await link.request(name, args, { bulk });
  if (r.status !== Status.OK) throw new OtaError(r.status, updateErrorOf(r.status) ?? `status ${r.status}`);
  return r.result;
}

/** Sends a package and activates it; resolves with the number of resumes it took. */
export async function sendUpdate(pkg: Uint8Array, options: OtaClientOptions): Promise<{ resumes: number }> {
  const { manifestBytes, image } = splitPackage(pkg);
  let resumes = 0;
  for (;;) {
    const link = await options.connect();
    try {
      const begun = await call(link, 'ota.begin', new Map([['manifest', manifestBytes]]));
      if (num(begun, 'size') !== image.length) throw new UpdateError('truncated', 'device and package disagree on the size');
      const chunk = Math.min(num(begun, 'chunk'), options.chunkBytes ?? Number.MAX_SAFE_INTEGER);
      const depth = Math.max(1, Math.floor(num(begun, 'window') / chunk));
      let committed = num(begun, 'offset');
      options.onProgress?.({ committed, size: image.length, resumes });
      if (field(begun, 'complete') !== true) committed = await stream(link, image, committed, chunk, depth, (c) => options.onProgress?.({ committed: c, size: image.length, resumes }));
      await call(link, 'ota.activate');
      return { resumes };
    } catch (error) {
      if (error instanceof OtaError || error instanceof UpdateError) throw error;
      // The link dropped (or timed out): reconnect and resume where the device says.
      if (++resumes > (options.maxResumes ?? 10)) throw error;
    }
  }
}

/** Keeps up to `depth` chunk requests in flight; responses come back in order. */
async function stream(link: OtaLink, image: Uint8Array, from: number, chunk: number, depth: number, progress: (committed: number) => void): Promise<number> {
  const inflight: Promise<CborValue>[] = [];
  let next = from;
  let committed = from;
  while (next < image.length || inflight.length > 0) {
    while (next < image.length && inflight.length < depth) {
      const end = Math.min(next + chunk, image.length);
      const request = call(link, 'ota.chunk', new Map<string, CborValue>([['offset', next], ['data', image.subarray(next, end)]]), true);
      request.catch(() => {}); // observed below, in order
      inflight.push(request);
      next = end;
    }
    const result = await inflight.shift()!;
    committed = num(result, 'committed');
    progress(committed);
  }
  return committed;
}
