// Fuzzing of what the device reads back from flash at boot: a storage image with some history,
// damaged by random bit flips, byte overwrites and garbage runs anywhere in either ring. Boot must
// never throw, the pacing parameters come back as a version that was saved or as the safe
// defaults (never garbage), and the device keeps working: a new parameter version and an audit
// entry written after the damage are there at the next boot.
import fc from 'fast-check';
import { nobleProvider } from '../../../modules/crypto/noble-provider.js';
import { sliceArea } from '../../../modules/storage/area-slice.js';
import type { ParamsCodec } from '../../../modules/storage/params-store.js';
import { openStorage } from '../../../modules/storage/storage.js';
import type { Storage } from '../../../modules/storage/storage.js';
import { Prng } from '../../../host/lib/prng.js';
import { NorFlash } from '../../../host/sim/nor-flash.js';
import type { FuzzProperty } from '../channel-properties.js';
import { fail } from './mutate.js';

const ERASE = 4096;
const RECORD_BLOCKS = 4;
const AUDIT_BLOCKS = 3;
const ACTOR = Object.freeze({ role: 'clinician', keyId: '0a0b' });

/** Parameter versions are 8 bytes: a marker and the version number (anything else is garbage). */
const version = (n: number) => Uint8Array.of(0x42, n, n, n, n, n, n, n);
const codec: ParamsCodec<Uint8Array> = {
  encode: (v) => v,
  decode: (b) => (b.length === 8 && b[0] === 0x42 && b.every((x, i) => i === 0 || x === b[1]) ? b : undefined),
  defaults: () => new Uint8Array(8),
};

function boot(flash: NorFlash, seed: number): Storage {
  flash.powerOn();
  const rng = new Prng(seed);
  let now = 1_700_000_000_000;
  return openStorage(
    { records: sliceArea(flash, 0, RECORD_BLOCKS), audit: sliceArea(flash, RECORD_BLOCKS, AUDIT_BLOCKS) },
    { crypto: { ...nobleProvider, randomBytes: (n: number) => rng.bytes(n) }, now: () => (now += 1000) },
  );
}

let aged: Uint8Array | undefined;
const SAVED = 40;

/** A flash image after 40 parameter versions, bonds, counters and audit entries (made once). */
function agedImage(): Uint8Array {
  if (aged) return aged;
  const flash = new NorFlash({ size: (RECORD_BLOCKS + AUDIT_BLOCKS) * ERASE, eraseSize: ERASE, writeSize: 4 });
  const storage = boot(flash, 1);
  for (let i = 1; i <= SAVED; i++) {
    storage.params(codec).save(version(i));
    storage.bonds.put(Uint8Array.of(i % 4), new Uint8Array(40).fill(i));
    storage.counters.increment('boot');
    storage.audit.append({ event: 'therapy.program', actor: ACTOR, outcome: 'ok', detail: `change ${i}` });
  }
  aged = flash.cells.slice();
  return aged;
}

const damage = fc.array(fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('run' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 2, maxLength: 64 }) }),
), { minLength: 1, maxLength: 6 });

export const storedRecordProperties: readonly FuzzProperty[] = [
  {
    name: 'stored records: a damaged image boots, gives a saved version or the defaults, and keeps working',
    property: () => fc.property(damage, (edits) => {
      const flash = new NorFlash({ size: (RECORD_BLOCKS + AUDIT_BLOCKS) * ERASE, eraseSize: ERASE, writeSize: 4 });
      const cells = flash.cells;
      cells.set(agedImage());
      for (const e of edits) {
        const at = e.at % cells.length;
        if (e.kind === 'flip') cells[at] ^= 1 << e.bit;
        else if (e.kind === 'byte') cells[at] = e.value;
        else cells.set(e.bytes.subarray(0, cells.length - at), at);
      }
      const storage = boot(flash, 2);
      const params = storage.params(codec).load().value;
      if (params[0] !== 0 && !(params[0] === 0x42 && params[1] >= 1 && params[1] <= SAVED)) fail('boot handed back garbage parameters');
      storage.params(codec).save(version(99));
      storage.audit.append({ event: 'therapy.program', actor: ACTOR, outcome: 'ok', detail: 'after damage' });
      const again = boot(flash, 3);
      if (again.params(codec).load().value[1] !== 99) fail('a parameter version written after the damage was lost');
    }),
  },
];
