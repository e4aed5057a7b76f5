// Minimal driver for @agoric/xsnap's `xsnap-worker` (the real XS engine, built by the
// package's install script). Protocol: netstrings `<len>:<bytes>,` on fd 3 (commands to XS)
// and fd 4 (replies from XS); one command in flight at a time. See docs/crypto.md.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = new URL('../../node_modules/@agoric/xsnap/', import.meta.url);
/** The release worker; IMPLANT_XSNAP_WORKER selects another build (e.g. the debug one). */
export const workerPath = process.env.IMPLANT_XSNAP_WORKER
  ?? fileURLToPath(new URL('xsnap-native/xsnap/build/bin/lin/release/xsnap-worker', packageDir));

/** Throws a message that says how to build the worker when the install script did not run. */
export function requireWorker() {
  if (existsSync(workerPath)) return workerPath;
  throw new Error([
    `XS engine not built: ${workerPath} is missing.`,
    'It is compiled by the install script of @agoric/xsnap (needs gcc >= 10 and make).',
    'Rebuild it with:  npm rebuild @agoric/xsnap',
    'If npm skipped install scripts (ignore-scripts, or an npm that enforces allowScripts), see docs/crypto.md "The XS engine on the host".',
  ].join('\n'));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function netstring(tag, body) {
  const payload = Buffer.concat([Buffer.from(tag, 'latin1'), Buffer.from(body)]);
  return Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(',')]);
}

/** Splits a byte stream into netstring payloads. */
function netstringReader(onMessage) {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const colon = buffered.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(buffered.subarray(0, colon).toString('latin1'));
      if (!Number.isSafeInteger(length)) throw new Error('xsnap: malformed netstring');
      if (buffered.length < colon + 1 + length + 1) return;
      const payload = buffered.subarray(colon + 1, colon + 1 + length);
      buffered = buffered.subarray(colon + 2 + length);
      onMessage(payload);
    }
  };
}

export class XSError extends Error {}

/**
 * Starts a worker. `onCommand(bytes: Uint8Array)` answers the engine's `issueCommand(buffer)`
 * and returns bytes (or a string). Each call resolves to `{ meter, result }`, where `meter` holds
 * `compute` (computrons used by this command) and `currentHeapCount` (slots in use), and
 * `result` the ArrayBuffer the evaluation returned, as bytes; it rejects with an XSError
 * carrying the engine's `String(exception)`.
 */
export function startWorker({ onCommand = () => new Uint8Array(0) } = {}) {
  const child = spawn(requireWorker(), [], { stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'] });
  const toXS = child.stdio[3];
  const fromXS = child.stdio[4];
  let pending = null;
  let exited = null;

  const fail = (error) => {
    if (pending) pending.reject(error);
    pending = null;
  };
  child.on('exit', (code, signal) => {
    exited = `xsnap-worker exited (code ${code}${signal ? `, signal ${signal}` : ''})`;
    fail(new XSError(exited));
  });
  child.on('error', fail);

  fromXS.on('data', netstringReader(async (payload) => {
    const tag = String.fromCharCode(payload[0]);
    const body = payload.subarray(1);
    if (tag === '?') {
      let answer;
      try {
        answer = await onCommand(new Uint8Array(body));
      } catch (error) {
        answer = encoder.encode(JSON.stringify({ hostError: String(error?.message ?? error) }));
      }
      toXS.write(netstring('/', typeof answer === 'string' ? encoder.encode(answer) : answer ?? new Uint8Array(0)));
      return;
    }
    const settle = pending;
    pending = null;
    if (!settle) return;
    if (tag === '.') {
      const sep = body.indexOf(1);
      const meter = sep < 0 ? {} : JSON.parse(decoder.decode(body.subarray(0, sep)));
      settle.resolve({ meter, result: sep < 0 ? new Uint8Array(0) : new Uint8Array(body.subarray(sep + 1)) });
    } else if (tag === '!') {
      settle.reject(new XSError(decoder.decode(body)));
    } else {
      settle.reject(new XSError(`xsnap: unexpected reply tag ${JSON.stringify(tag)}`));
    }
  }));

  function send(tag, body) {
    if (exited) return Promise.reject(new XSError(exited));
    if (pending) return Promise.reject(new Error('xsnap: one command at a time'));
    return new Promise((resolve, reject) => {
      pending = { resolve, reject };
      toXS.write(netstring(tag, encoder.encode(body)));
    });
  }

  return {
    child,
    /** Indirect global eval of a script (a bundle must be an IIFE). */
    evaluate: (source) => send('e', source),
    /**
     * Runs an ES module file (relative imports resolve beside it). xsnap replies success even
     * when the module fails to load, so have the module report through issueCommand.
     */
    runModule: (path) => send('m', path),
    /** Evaluates an expression whose value is JSON-encodable and returns that value. */
    async evaluateJson(expression) {
      const { meter, result } = await send('e', `new TextEncoder().encode(JSON.stringify(${expression})).buffer`);
      return { meter, value: JSON.parse(decoder.decode(result)) };
    },
    close() {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        toXS.end(netstring('q', ''));
      });
    },
  };
}

export function decodeText(bytes) {
  return decoder.decode(bytes);
}
