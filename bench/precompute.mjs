#!/usr/bin/env node
// Memory and cost of noble's base-point tables at each window size, in the XS engine: for
// docs/memory.md. Each window runs in a fresh engine: load noble (RNG first), set the window,
// then do what the firmware does (an X25519 key pair, a shared secret, an Ed25519 verify) and
// count the live heap slots that remain after a collection.
// Usage: node bench/precompute.mjs [window ...]   (default 1 2 3 4 5 6 8)
import { bundleEntryForXS } from '../hosttest/xs/bundle.mjs';
import { startWorker } from '../hosttest/xs/xsnap.mjs';

const windows = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 2, 3, 4, 5, 6, 8];

const entry = `
import './bench/prelude.ts';
import { nobleProvider as p, setBasePointWindow } from './modules/crypto/noble-provider.ts';
const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (seed + 37 * i) & 0xff);
const msg = bytes(64, 1), sk = bytes(32, 2), peer = bytes(32, 3);
let signer;
globalThis.__t = {
  setWindow: (w) => setBasePointWindow(w),
  keyPair: () => p.x25519.publicKey(bytes(32, 4)),
  shared: () => p.x25519.shared(sk, p.x25519.publicKey(peer)),
  signer: () => { const pk = p.ed25519.publicKey(sk); signer = { pk, sig: p.ed25519.sign(msg, sk) }; },
  verify: () => { if (!p.ed25519.verify(signer.sig, msg, signer.pk)) throw new Error('verify'); },
};`;

const { script } = await bundleEntryForXS(entry);
const rows = [];
for (const w of windows) {
  const xs = startWorker();
  const run = async (expr) => (await xs.evaluate(expr)).meter;
  try {
    await xs.evaluate(script);
    await run(`__t.setWindow(${w})`);
    const base = (await run('gc()')).currentHeapCount;
    const firstKeyPair = (await run('__t.keyPair()')).compute;
    const keyPair = (await run('__t.keyPair()')).compute;
    await run('__t.signer()');
    const afterSecretTable = (await run('gc()')).currentHeapCount;
    const firstVerify = (await run('__t.verify()')).compute;
    const verify = (await run('__t.verify()')).compute;
    const shared = (await run('__t.shared()')).compute;
    const all = (await run('gc()')).currentHeapCount;
    rows.push({ window: w, secretTableSlots: afterSecretTable - base, allTablesSlots: all - base, firstKeyPair, keyPair, firstVerify, verify, sharedWithKeyPair: shared });
  } finally {
    await xs.close();
  }
}
console.log('| window | live slots: key-pair table | live slots: + verify table | first key pair | key pair | first verify | verify |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.window} | ${r.secretTableSlots} | ${r.allTablesSlots} | ${r.firstKeyPair} | ${r.keyPair} | ${r.firstVerify} | ${r.verify} |`);
}
