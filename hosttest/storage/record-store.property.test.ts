// Model-based property tests: random operation sequences with random power cuts (clean or torn)
// on every geometry. After each cut the store is remounted and must show every acknowledged
// value, and for the operation in flight either its old or its new value, nothing else.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toHex } from '../../modules/core/bytes.js';
import { RecordStore } from '../../modules/storage/record-store.js';
import { PowerCut } from '../../host/sim/nor-flash.js';
import { flash, WRITE_SIZES } from './fixture.js';

type Op = { kind: 'put'; key: number; value: Uint8Array } | { kind: 'delete'; key: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.integer({ min: 1, max: 12 }), value: fc.uint8Array({ minLength: 0, maxLength: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 1, max: 12 }) }) },
);

const show = (v: Uint8Array | undefined): string => (v ? toHex(v) : '-');

describe('RecordStore under random operations and power cuts (fast-check)', () => {
  it('shows every acknowledged write and never a half-written one', () => {
    let cutsSeen = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...WRITE_SIZES),
        fc.array(opArb, { minLength: 10, maxLength: 150, size: 'max' }),
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 60 }), torn: fc.boolean(), seed: fc.nat() }), { minLength: 1, maxLength: 5 }),
        (writeSize, ops, cuts) => {
          const f = flash(3, writeSize);
          const model = new Map<number, Uint8Array>();
          let store = new RecordStore(f);
          const plan = [...cuts];
          const arm = (): void => {
            const cut = plan.shift();
            f.armPowerCut(cut && { at: f.ops + cut.gap, torn: cut.torn, seed: cut.seed });
          };
          const reboot = (): void => {
            for (;;) {
              f.powerOn();
              arm();
              try {
                store = new RecordStore(f);
                return;
              } catch (error) {
                if (!(error instanceof PowerCut)) throw error;
              }
            }
          };
          arm();
          for (const op of ops) {
            try {
              if (op.kind === 'put') store.put(op.key, op.value);
              else store.delete(op.key);
              if (op.kind === 'put') model.set(op.key, op.value);
              else model.delete(op.key);
            } catch (error) {
              if (!(error instanceof PowerCut)) throw error;
              cutsSeen++;
              reboot();
              for (const [key, value] of model) if (key !== op.key) assert.equal(show(store.get(key)), show(value), `acknowledged key ${key}`);
              const seen = store.get(op.key);
              const after = op.kind === 'put' ? op.value : undefined;
              const ok = show(seen) === show(model.get(op.key)) || show(seen) === show(after);
              assert.ok(ok, `in-flight key ${op.key}: ${show(seen)} is neither old nor new`);
              if (seen) model.set(op.key, seen);
              else model.delete(op.key);
            }
            assert.equal(store.report.corruptSlots.length, 0, 'power cuts alone never look like corruption');
          }
          f.armPowerCut(undefined);
          const final = new RecordStore(f);
          for (let key = 1; key <= 12; key++) assert.equal(show(final.get(key)), show(model.get(key)), `key ${key}`);
        },
      ),
      { numRuns: 150, seed: 424242 },
    );
    assert.ok(cutsSeen > 150, `power was cut ${cutsSeen} times`);
  });
});
