// The probe that decides blinding, observed in both orders on both engines: noble loaded after
// the random source blinds (16-byte requests during a secret multiplication); noble loaded
// before it never blinds, even once a source appears. This is why main.ts imports
// modules/crypto/device-random.ts before anything that loads noble.
// @req SEC-17 (docs/traceability.md)
import assert from 'node:assert/strict';
import { createContext, runInContext } from 'node:vm';
import { bundleEntryForXS } from '../../host/xs/bundle.mjs';
import { startWorker } from '../../host/xs/xsnap.mjs';

type Order = 'random source first' | 'noble first';

async function probeScript(order: Order): Promise<string> {
  const entry = [
    order === 'random source first' ? "import './hosttest/crypto/fixtures/install-rng-first.ts';" : '',
    "import { ed25519 } from 'noble';",
    "import { randomRequestsDuring } from './hosttest/crypto/random-probe.ts';",
    "import { installSeededRandom } from './host/xs/seeded-random.ts';",
    // Install the source now if it was not there at load, then watch a secret multiplication.
    'globalThis.__probe = () => {',
    '  if (!globalThis.crypto) installSeededRandom(7);',
    '  return JSON.stringify(randomRequestsDuring(() => ed25519.getPublicKey(new Uint8Array(32).fill(1))));',
    '};',
  ].join('\n');
  return (await bundleEntryForXS(entry)).script;
}

async function inNode(order: Order): Promise<number[]> {
  const context = createContext({ TextEncoder, TextDecoder }); // a realm with no crypto at all
  runInContext(await probeScript(order), context);
  return JSON.parse(runInContext('__probe()', context) as string) as number[];
}

async function inXS(order: Order): Promise<number[]> {
  const xs = startWorker();
  try {
    await xs.evaluate(await probeScript(order));
    const { value } = await xs.evaluateJson('__probe()');
    return JSON.parse(value as string) as number[];
  } finally {
    await xs.close();
  }
}

describe('noble decides blinding when it loads', () => {
  for (const [engine, probe] of [['Node', inNode], ['XS', inXS]] as const) {
    it(`${engine}: blinds when the random source is installed first`, async () => {
      assert.deepEqual(await probe('random source first'), [16]);
    });
    it(`${engine}: never blinds when noble loaded before the random source`, async () => {
      assert.deepEqual(await probe('noble first'), []);
    });
  }
});
