// The device's text parsers are loops, not RegExps (docs/memory.md: the image carries no
// regular-expression engine). Each is checked here against the RegExp it replaced, as an oracle,
// over strings built to sit near the accepted forms.
import { deepEqual, equal } from 'node:assert/strict';
import fc from 'fast-check';
import { fromHex, isHexText } from '../../modules/core/bytes.js';
import { uuidBytes } from '../../modules/bootloader/identity.js';
import { parseVersion } from '../../modules/bootloader/manifest.js';
import { handshakePattern } from '../../modules/channel/noise/patterns.js';

/** Strings over a small alphabet, so accepted forms and near misses are both common. */
const near = (alphabet: string, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((chars) => chars.join(''));

describe('text parsers without RegExp', () => {
  it('isHexText and fromHex accept exactly what /^[0-9a-fA-F]*$/ did', () => {
    fc.assert(fc.property(near('09afAFgG-x ', 12), (text) => {
      equal(isHexText(text), /^[0-9a-fA-F]*$/.test(text));
      equal(isHexText(text, true), /^[0-9a-f]*$/.test(text));
      let parsed: Uint8Array | undefined;
      try { parsed = fromHex(text); } catch { parsed = undefined; }
      equal(parsed !== undefined, text.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(text));
    }), { numRuns: 5000 });
  });

  it('uuidBytes accepts exactly the canonical 8-4-4-4-12 form, either case', () => {
    const uuid = fc.uuid();
    const mutated = fc.tuple(uuid, fc.nat(40), near('0aF-g', 2)).map(([u, at, s]) => u.slice(0, at) + s + u.slice(at + 1));
    fc.assert(fc.property(fc.oneof(uuid, uuid.map((u) => u.toUpperCase()), mutated), (text) => {
      const oracle = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
      const bytes = uuidBytes(text);
      equal(bytes !== undefined, oracle);
      if (bytes) deepEqual(bytes, fromHex(text.split('-').join('')));
    }), { numRuns: 5000 });
  });

  it('parseVersion accepts exactly /^(\\d{1,5})\\.(\\d{1,5})\\.(\\d{1,5})$/ within 16 bits', () => {
    fc.assert(fc.property(near('0159.x-', 14), (text) => {
      const m = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})$/.exec(text);
      const oracle = m && [Number(m[1]), Number(m[2]), Number(m[3])];
      deepEqual(parseVersion(text), oracle && oracle.every((n) => n <= 0xffff) ? oracle : undefined);
    }), { numRuns: 5000 });
  });

  it('handshakePattern accepts exactly the names /^([A-Z0-9]+?)((?:psk\\d)(?:\\+psk\\d)*)?$/ with a known base', () => {
    const name = fc.tuple(fc.constantFrom('XX', 'IK', 'NN', 'N', 'K', 'X', 'I1X1', 'XK', 'Xx', ''), fc.array(near('psk09+', 5), { maxLength: 3 }))
      .map(([base, mods]) => base + mods.join(''));
    fc.assert(fc.property(name, (text) => {
      const m = /^([A-Z0-9]+?)((?:psk\d)(?:\+psk\d)*)?$/.exec(text);
      let accepted = true;
      try { handshakePattern(text); } catch { accepted = false; }
      if (!m) equal(accepted, false, text);
      // Every one of these bases has at least two messages, so psk0..psk2 all fit.
      const fits = m && ['XX', 'IK', 'NN', 'XK', 'I1X1'].includes(m[1]) && [...(m[2] ?? '').matchAll(/psk(\d)/g)].every((d) => Number(d[1]) <= 2);
      if (fits) equal(accepted, true, text);
    }), { numRuns: 5000 });
    equal(handshakePattern('XXpsk3').psk, true);
    equal(handshakePattern('NNpsk0+psk2').messages[0][0], 'psk');
  });
});
