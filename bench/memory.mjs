#!/usr/bin/env node
// What noble costs in XS memory, for docs/memory.md: the live heap slots of the device noble
// bundle once loaded, and of its base-point tables at each window size, with the computrons
// that buy. Every figure comes from a fresh engine and is deterministic.
// Usage: node bench/memory.mjs [window ...]   (default 1 2 3 4 5 6 8)
import { bundleEntryForXS } from '../host/xs/bundle.mjs';
import { startWorker } from '../host/xs/xsnap.mjs';

const windows = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 2, 3, 4, 5, 6, 8];

async function liveSlotsAfterLoading(entry) {
  const xs = startWorker();
  try {
    const empty = (await xs.evaluate('gc()')).meter.currentHeapCount;
    const load = (await xs.evaluate((await bundleEntryForXS(entry)).script)).meter.compute;
    const loaded = (await xs.evaluate('gc()')).meter.currentHeapCount;
    return { slots: loaded - empty, load };
  } finally {
    await xs.close();
  }
}

// The firmware's curve work: a fresh X25519 key pair and a shared secret per handshake, Ed25519
// verification of certificates and update images, and (for the table) one signature.
const workload = `
import './bench/prelude.ts';
import { nobleCore as p, setBasePointWindow } from './modules/crypto/noble-core.ts';
const bytes = (n, seed) => Uint8Array.from({ length: n }, (_, i) => (seed + 37 * i) & 0xff);
const msg = bytes(64, 1), sk = bytes(32, 2), peer = bytes(32, 3);
let signed;
globalThis.__t = {
  setWindow: (w) => setBasePointWindow(w),
  keyPair: () => p.x25519.publicKey(bytes(32, 4)),
  shared: () => p.x25519.shared(sk, p.x25519.publicKey(peer)),
  sign: () => { signed = { pk: p.ed25519.publicKey(sk), sig: p.ed25519.sign(msg, sk) }; },
  verify: () => { if (!p.ed25519.verify(signed.sig, msg, signed.pk)) throw new Error('verify'); },
};`;

async function tablesAt(window, script) {
  const xs = startWorker();
  const run = async (expr) => (await xs.evaluate(expr)).meter;
  try {
    await xs.evaluate(script);
    await run(`__t.setWindow(${window})`);
    const base = (await run('gc()')).currentHeapCount;
    const firstKeyPair = (await run('__t.keyPair()')).compute;
    const keyPair = (await run('__t.keyPair()')).compute;
    await run('__t.sign()');
    const secretTables = (await run('gc()')).currentHeapCount - base;
    const firstVerify = (await run('__t.verify()')).compute;
    const verify = (await run('__t.verify()')).compute;
    const allTables = (await run('gc()')).currentHeapCount - base;
    return { window, secretTables, allTables, firstKeyPair, keyPair, firstVerify, verify };
  } finally {
    await xs.close();
  }
}

const rng = "import './bench/prelude.ts';";
const loads = [
  ['seeded RNG only (baseline)', rng],
  ['device noble bundle (noble-device-entry.ts)', `${rng} import * as n from './modules/crypto/noble-device-entry.ts'; globalThis.__n = n;`],
  ['host noble bundle (noble-entry.ts)', `${rng} import * as n from './modules/crypto/noble-entry.ts'; globalThis.__n = n;`],
];
console.log('| loaded | live slots | load computrons |\n|---|---:|---:|');
for (const [label, entry] of loads) {
  const { slots, load } = await liveSlotsAfterLoading(entry);
  console.log(`| ${label} | ${slots} | ${load} |`);
}

const { script } = await bundleEntryForXS(workload);
console.log('\n| window | live slots: secret-scalar table | + verify table | first key pair | key pair | first verify | verify |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const w of windows) {
  const r = await tablesAt(w, script);
  console.log(`| ${r.window} | ${r.secretTables} | ${r.allTables} | ${r.firstKeyPair} | ${r.keyPair} | ${r.firstVerify} | ${r.verify} |`);
}
