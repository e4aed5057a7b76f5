// build/noble.js as the device gets it (tools/flash/bundle-noble.mjs): an ES module that the
// XS engine loads as a module, not a script, and that computes known answers there, with
// blinding on when a random source is installed before it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNoble } from '../../tools/flash/bundle-noble.mjs';
import { decodeText, startWorker } from '../../host/xs/xsnap.mjs';

// A stand-in for device-random.ts (which needs the device's FFI): any source, installed first.
const RANDOM_FIRST = `let s = 1;
globalThis.__randomRequests = 0;
globalThis.crypto = { getRandomValues(a) {
  globalThis.__randomRequests++;
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < b.length; i++) b[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  return a;
} };`;

const MAIN = `import './random-first.js';
import { chacha20poly1305, ed25519, x25519 } from './noble.js';
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
const report = {};
// RFC 7748 §6.1 and RFC 8032 §7.1 test 1.
report.x25519 = hex(x25519.getPublicKey(bytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')));
const before = globalThis.__randomRequests;
report.ed25519 = hex(ed25519.getPublicKey(bytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')));
report.blinds = globalThis.__randomRequests - before;
const key = new Uint8Array(32).fill(7), nonce = new Uint8Array(12).fill(9), message = new Uint8Array(100).fill(5);
report.chacha = hex(chacha20poly1305(key, nonce).decrypt(chacha20poly1305(key, nonce).encrypt(message))) === hex(message);
issueCommand(new TextEncoder().encode(JSON.stringify(report)).buffer);`;

describe('device noble bundle (build/noble.js) in XS', () => {
  it('loads as an ES module and gives the RFC 7748 / RFC 8032 answers, blinded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'implant-noble-'));
    const reports: unknown[] = [];
    const xs = startWorker({
      onCommand(bytes) {
        reports.push(JSON.parse(decodeText(bytes)));
        return '';
      },
    });
    try {
      writeFileSync(join(dir, 'noble.js'), (await bundleNoble()).code);
      writeFileSync(join(dir, 'random-first.js'), RANDOM_FIRST);
      writeFileSync(join(dir, 'main.js'), MAIN);
      await xs.runModule(join(dir, 'main.js'));
    } finally {
      await xs.close();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(reports, [{
      x25519: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
      ed25519: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      blinds: 1,
      chacha: true,
    }]);
  });
});
