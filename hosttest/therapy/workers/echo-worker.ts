// Test worker for the worker shim: echoes messages, counts them, throws on request, closes itself,
// tells its clock (Time.ticks).
import Time from 'time';

let count = 0;

self.onmessage = (message: { op: string; value?: unknown }) => {
  if (message.op === 'throw') throw new Error('worker fault');
  if (message.op === 'close') return self.close();
  if (message.op === 'ticks') return self.postMessage({ ticks: Time.ticks });
  if (message.op === 'mutate' && typeof message.value === 'object' && message.value !== null) (message.value as { n: number }).n = -1;
  self.postMessage({ echo: message, count: ++count });
};
