// The "worker" shim keeps the SDK's semantics: a blocking constructor that throws when the module
// throws, ordered copies of messages both ways, self.close(), and terminate().
import assert from 'node:assert/strict';
import Time from 'time';
import Worker from 'worker';
import { resetHost, useRealTime } from '../../host/shims/host-control.js';

const ECHO = 'hosttest/therapy/workers/echo-worker';

function collect(worker: Worker, n: number): Promise<any[]> {
  const got: any[] = [];
  return new Promise((resolve) => {
    worker.onmessage = (m) => {
      got.push(m);
      if (got.length === n) resolve(got);
    };
  });
}

const until = (predicate: () => boolean, ms = 5000): Promise<void> => new Promise((resolve, reject) => {
  const start = Date.now();
  const poll = (): void => {
    if (predicate()) resolve();
    else if (Date.now() - start > ms) reject(new Error('timed out'));
    else setTimeout(poll, 10);
  };
  poll();
});

describe('worker shim', () => {
  it('runs the module before the constructor returns, and delivers copies in order both ways', async () => {
    const worker = new Worker(ECHO, { static: 8192, heap: { initial: 64, incremental: 32 }, stack: 64 });
    const replies = collect(worker, 3);
    const value = { n: 1 };
    worker.postMessage({ op: 'a' });
    worker.postMessage({ op: 'mutate', value });
    worker.postMessage({ op: 'b', value: new Uint8Array([1, 2]) });
    const got = await replies;
    assert.deepEqual(got.map((m) => [m.echo.op, m.count]), [['a', 1], ['mutate', 2], ['b', 3]]);
    assert.equal(value.n, 1, 'the worker changed its own copy only');
    assert.deepEqual([...got[2].echo.value], [1, 2]);
    worker.terminate();
  });

  it('throws from the constructor when the module throws', () => {
    assert.throws(() => new Worker('hosttest/therapy/workers/failing-worker'), /failed to initialise/);
    assert.throws(() => new Worker('hosttest/therapy/workers/no-such-worker'), /not found/);
  });

  it('refuses what cannot be copied, and posting after terminate()', () => {
    const worker = new Worker(ECHO);
    assert.throws(() => worker.postMessage({ f: () => 1 }));
    worker.terminate();
    assert.throws(() => worker.postMessage({ op: 'a' }), /worker terminated/);
  });

  it('a worker that closes itself, or whose code throws, is gone', async () => {
    for (const op of ['close', 'throw']) {
      const worker = new Worker(ECHO);
      worker.postMessage({ op });
      await until(() => {
        try {
          worker.postMessage({ op: 'a' });
          return false;
        } catch {
          return true;
        }
      });
    }
  });

  it('a worker started by an owner on real time reads the owner\'s clock, not one from its own start', async () => {
    resetHost();
    useRealTime();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const worker = new Worker(ECHO);
      const reply = collect(worker, 1);
      const before = Time.ticks;
      worker.postMessage({ op: 'ticks' });
      const [{ ticks }] = await reply;
      const after = Time.ticks;
      worker.terminate();
      assert.ok(before >= 300, `owner clock ${before}`);
      assert.ok(ticks >= before && ticks <= after, `worker ${ticks} ms outside the owner's ${before}..${after} ms`);
    } finally {
      resetHost();
    }
  });
});
