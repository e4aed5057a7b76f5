// How XS native code sees JavaScript values (xsmcToInteger, xsmcToUnsigned, readable buffers),
// so the shims convert arguments exactly as the SDK's C functions do.

/** xsmcToInteger: ToInt32 (NaN and undefined become 0, large values wrap). */
export function toInt32(value: unknown): number {
  return Number(value) | 0;
}

/** xsmcToUnsigned: ToUint32. */
export function toUint32(value: unknown): number {
  return Number(value) >>> 0;
}

/** xsmcGetBufferReadable: an ArrayBuffer or any view of one, as bytes (no copy). */
export function readableBytes(buffer: unknown): Uint8Array {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError('C: xsGetBufferReadable: not a buffer');
}

/** Byte length of a string once XS stores it as UTF-8 (what C's strlen sees). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
