// The update's commands (docs/bootloader.md, "Commands"). Who may run them is the access
// policy's decision (modules/access/policy.ts: manufacturer only; begin and activate also need
// physical presence); the service checks the role once more, because update is the one thing
// that must never happen for anyone else. Chunks travel as `ota.chunk` requests over the OTA
// data characteristic, encrypted and authenticated by the session like any command; each
// response acknowledges the committed offset, so a programmer keeps a window of requests in flight.
import type { CborValue } from '../core/cbor.js';
import { defineCommand, fail, ok } from '../channel/commands.js';
import type { CommandReply, CommandSpec } from '../channel/commands.js';
import { NO_ARGS, s } from '../channel/schema.js';
import { UpdateError } from './errors.js';
import { MAX_MANIFEST_BYTES } from './layout.js';
import { UpdateStatus } from './status.js';
import type { UpdateService } from './update-service.js';

/** Largest image chunk per request: fits a 2048-byte channel message with its envelope and tag. */
export const MAX_CHUNK_BYTES = 1024;

function map(entries: [string, CborValue | undefined][]): Map<string, CborValue> {
  const out = new Map<string, CborValue>();
  for (const [key, value] of entries) if (value !== undefined) out.set(key, value);
  return out;
}

/** Runs `fn`; an UpdateError becomes its status code, anything else propagates (INTERNAL_ERROR). */
function answer(fn: () => CborValue | undefined): CommandReply {
  try {
    return ok(fn());
  } catch (error) {
    if (error instanceof UpdateError) return fail(UpdateStatus[error.code]);
    throw error;
  }
}

export function updateCommands(service: UpdateService): CommandSpec[] {
  return [
    defineCommand({
      name: 'ota.status',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: () => answer(() => {
        const st = service.status();
        return map([
          ['state', st.state], ['offset', st.offset], ['size', st.size], ['digest', st.digest],
          ['version', st.version?.slice()], ['running', st.runningVersion.slice()],
        ]);
      }),
    }),
    defineCommand({
      name: 'ota.begin',
      args: s.struct({ manifest: s.bytes(MAX_MANIFEST_BYTES, 1) }),
      maxArgBytes: MAX_MANIFEST_BYTES + 16,
      handler: (args, { session }) => answer(() => {
        const r = service.begin(session.principal.role, args.manifest);
        return map([['offset', r.offset], ['size', r.size], ['complete', r.complete], ['window', r.window], ['chunk', MAX_CHUNK_BYTES]]);
      }),
    }),
    defineCommand({
      name: 'ota.chunk',
      args: s.struct({ offset: s.uint32(), data: s.bytes(MAX_CHUNK_BYTES, 1) }),
      maxArgBytes: MAX_CHUNK_BYTES + 24,
      handler: (args, { session }) => answer(() => {
        const r = service.chunk(session.principal.role, args.offset, args.data);
        return map([['committed', r.committed], ['complete', r.complete]]);
      }),
    }),
    defineCommand({
      name: 'ota.abort',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => answer(() => void service.abort(session.principal.role)),
    }),
    defineCommand({
      name: 'ota.activate',
      args: NO_ARGS,
      maxArgBytes: 1,
      handler: (_args, { session }) => answer(() => map([['version', service.activate(session.principal.role).slice()]])),
    }),
  ];
}
