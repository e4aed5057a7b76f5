// Host shim of Moddable "text/decoder" (typings/text/decoder.d.ts; modules/data/text/decoder):
// UTF-8 only, and the label must be exactly "utf-8" (any other, even "UTF-8" or "utf8", throws
// RangeError "unsupported encoding", where Node would accept it); options fatal and ignoreBOM.
class TextDecoder extends globalThis.TextDecoder {
  constructor(...args: [label?: 'utf-8', options?: { fatal?: boolean; ignoreBOM?: boolean }]) {
    if (args.length && String(args[0]) !== 'utf-8') throw new RangeError('unsupported encoding');
    super('utf-8', args[1]);
  }
}

export { TextDecoder as default };
