// The XS globals firmware code may call, installed on Node when this module is imported:
// trace(...values) writes the values' strings, without a newline, to host-control's trace sink
// (stdout unless a test redirects it). Types: host/shims/xs.d.ts.
import { writeTrace } from './host-control.js';

function trace(...values: (string | number | boolean)[]): void {
  writeTrace(values.map(String).join(''));
}

(globalThis as { trace?: typeof trace }).trace ??= trace;
