// Installs the hardware random source as globalThis.crypto.getRandomValues, as a side effect of
// being imported, behind the entropy gate (entropy-gate.ts): the first draw before the radio
// turns the board's boot entropy source on, and `radioStarting()` turns it off. main.ts imports
// it FIRST, so no module can draw before it exists. Device adapter; not preloadable (the source
// must be installed at run time). The C side is modules/crypto/native/random.c, bound through
// the manifest's "ffi".
import FFI from 'mc/ffi';
import { entropyGate } from './entropy-gate.js';
import { installRandomSource } from './random-source.js';

const native = new FFI();

function check(status: number, what: string): void {
  if (status !== 0) throw new Error(`hardware random source: ${what} failed (status ${status})`);
}

const gate = entropyGate({
  begin: () => check(native.implant_entropy_begin(), 'boot entropy source'),
  end: () => check(native.implant_entropy_end(), 'boot entropy source off'),
  fill: (bytes) => check(native.implant_random_fill(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), 'fill'),
});

installRandomSource((bytes) => gate.fill(bytes));

/** The radio is about to start: the boot entropy source must be off (ESP32) from here on. */
export function radioStarting(): void {
  gate.radioStarting();
}
