// Installs `globalThis.crypto.getRandomValues` over a byte source, with the Web Crypto
// semantics noble relies on. Portable: the device passes its hardware RNG
// (device-random.ts); tests pass a seeded one (host/xs/seeded-random.ts).
// noble checks for this function when it loads, so install before anything imports noble.
// @req SEC-17 (docs/traceability.md)

/** Fills every byte of `bytes`; throws if the source cannot. */
export type FillRandom = (bytes: Uint8Array) => void;

/** Web Cryptography API §10.1.1 getRandomValues: at most 65536 bytes per call. */
export const MAX_RANDOM_BYTES = 65536;

export type GetRandomValues = <T extends ArrayBufferView | null>(array: T) => T;

function isIntegerArray(value: unknown): value is ArrayBufferView {
  return value instanceof Int8Array || value instanceof Uint8Array || value instanceof Uint8ClampedArray
    || value instanceof Int16Array || value instanceof Uint16Array || value instanceof Int32Array
    || value instanceof Uint32Array || value instanceof BigInt64Array || value instanceof BigUint64Array;
}

export function makeGetRandomValues(fill: FillRandom): GetRandomValues {
  return <T extends ArrayBufferView | null>(array: T): T => {
    if (!isIntegerArray(array)) throw new TypeError('getRandomValues: expected an integer typed array');
    if (array.byteLength > MAX_RANDOM_BYTES) throw new RangeError(`getRandomValues: ${array.byteLength} bytes exceeds ${MAX_RANDOM_BYTES}`);
    fill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return array;
  };
}

/** Defines `target.crypto` (normally globalThis) as a frozen object holding only getRandomValues. */
export function installRandomSource(fill: FillRandom, target: object = globalThis): void {
  const crypto = Object.freeze({ getRandomValues: makeGetRandomValues(fill) });
  Object.defineProperty(target, 'crypto', { value: crypto, configurable: true, writable: false, enumerable: false });
}
