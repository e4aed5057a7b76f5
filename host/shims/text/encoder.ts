// Host shim of Moddable "text/encoder" (typings/text/encoder.d.ts; modules/data/text/encoder):
// the device's TextEncoder has the WHATWG encode/encodeInto, which Node's global provides.
const Encoder: typeof globalThis.TextEncoder = globalThis.TextEncoder;

export { Encoder as default };
