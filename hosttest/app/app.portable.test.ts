// The composition root's portable pieces, on Node and inside XS: the console line format and
// the codec that keeps the therapy parameters at rest.
import { formatConsoleLine } from '../../modules/app/console.js';
import { parseConsoleLine } from '../../host/console-line.js';
import { therapyParamsCodec } from '../../modules/therapy-control/saved-params.js';
import { decodeCbor, encodeCbor } from '../../modules/core/cbor.js';
import type { CborValue } from '../../modules/core/cbor.js';
import { NOMINAL, POR } from '../../modules/therapy/params.js';
import { deepEqual, equal } from '../lib/assert.js';

describe('app: console lines', () => {
  it('format and parse back, milliseconds kept', () => {
    const event = { t: 123_456, topic: 'marker' as const, text: 'VP ventricular pace' };
    const line = formatConsoleLine(event);
    equal(line, '[  123.456] marker: VP ventricular pace');
    deepEqual(parseConsoleLine(line), event);
  });

  it('other text and unknown topics are not console events', () => {
    equal(parseConsoleLine('backup pacer: no ventricular sense'), undefined);
    equal(parseConsoleLine('[    1.000] gossip: hello'), undefined);
    equal(parseConsoleLine('[1.0] boot: hello'), undefined);
  });
});

describe('app: therapy parameters at rest', () => {
  const codec = therapyParamsCodec;

  it('round-trips a valid set', () => {
    const set = { ...NOMINAL, lrl: 70, mode: 'VVI' as const };
    deepEqual(codec.decode(codec.encode(set)), set);
    deepEqual(codec.defaults(), { ...POR });
  });

  it('refuses a set whose checksum, grid value or shape is wrong', () => {
    const map = decodeCbor(codec.encode({ ...NOMINAL })) as Map<string, CborValue>;
    const altered = (key: string, value: CborValue) => encodeCbor(new Map(map).set(key, value));
    equal(codec.decode(altered('lrl', 61)), undefined, 'a value changed under its checksum');
    equal(codec.decode(altered('checksum', 0)), undefined, 'a wrong checksum');
    const withoutMode = new Map(map);
    withoutMode.delete('mode');
    equal(codec.decode(encodeCbor(withoutMode)), undefined, 'an incomplete set');
    equal(codec.decode(Uint8Array.of(0xff)), undefined, 'bytes that are not CBOR');
    equal(codec.decode(encodeCbor([1, 2])), undefined, 'CBOR that is not a map');
  });
});
