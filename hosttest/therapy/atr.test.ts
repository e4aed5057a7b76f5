// ATR (§5.6): the fallback mode is VVIR, so a patient exercising through an atrial tachycardia
// keeps a sensor-driven rate (§5.6.3); rate smoothing (§5.9) stays in force through fallback and
// its end; ATR ends when the atrial rate falls, silence included; Duration cannot reach fallback
// once the tachycardia is over. The atrial input is a generated train (200 bpm, under the
// 250 ms noise interval it is not), on a heart with complete block and no escape.
import assert from 'node:assert/strict';
import type { MarkerType } from '../../modules/therapy/markers.js';
import { engineBench, gaps } from './engine-bench.js';
import type { Bench } from './engine-bench.js';

const AT_CYCLE_MS = 300;
const V_EVENTS: readonly MarkerType[] = ['VP', 'VS', 'PVC'];

function atrBench(mode: 'DDD' | 'VDD', atFromMs: number, atToMs: number, extra: Record<string, number> = {}): Bench {
  const bench = engineBench({ mode, atrMode: true, lrl: 60, url: 120, ...extra });
  bench.train('A', atFromMs, atToMs, AT_CYCLE_MS);
  return bench;
}

const first = (b: Bench, type: MarkerType, fromMs = 0): number | undefined => b.times([type], fromMs)[0];

describe('ATR (§5.6)', () => {
  for (const mode of ['DDD', 'VDD'] as const) {
    it(`${mode} falls back to VVIR: exercise during the tachycardia keeps the sensor-indicated rate`, () => {
      const b = atrBench(mode, 5000, 240000);
      b.engine.setActivity(8);
      let modeInFallback = '';
      b.at(150000, () => { modeInFallback = b.engine.status().effectiveMode; });
      b.run(240000);
      const fb = first(b, 'ATR-FB');
      assert.ok(fb !== undefined && fb < 60000, `fallback at ${fb}`);
      assert.equal(modeInFallback, 'VVIR');
      // After the fallback time (1 min) the ramp has reached the LRL; the sensor keeps the rate at the MSR (500 ms).
      const late = gaps(b.times(V_EVENTS, fb + 70000, 239000));
      assert.ok(late.length > 100 && Math.max(...late) <= 500 + 1, `V intervals in fallback up to ${Math.max(...late)} ms`);
    });
  }

  it('rate smoothing stays in force through fallback and when ATR ends', () => {
    // The tachycardia stops 10 s into fallback, while the ramp is far from the LRL; then sinus at
    // 50 bpm, whose slow atrial intervals end ATR.
    const b = atrBench('DDD', 5000, 30000, { rateSmoothingDown: 12, rateSmoothingUp: 12 });
    b.train('A', 30000 + 1200, 180000, 1200);
    b.run(180000);
    const fb = first(b, 'ATR-FB');
    const end = first(b, 'ATR-End');
    assert.ok(fb !== undefined && end !== undefined && end > fb, `fallback ${fb}, end ${end}`);
    const v = b.times(V_EVENTS, 2000);
    for (let i = 2; i < v.length; i++) {
      const [before, now] = [v[i - 1] - v[i - 2], v[i] - v[i - 1]];
      const at = `${before} ms then ${now} ms at ${v[i]} (fallback ${fb}, end ${end})`;
      assert.ok(now <= Math.floor(before * 1.12) + 1 && now >= Math.ceil(before * 0.88) - 1, at);
    }
  });

  it('ends when the tachycardia stops into atrial standstill', () => {
    const b = atrBench('DDD', 5000, 90000);
    b.run(150000);
    const fb = first(b, 'ATR-FB');
    const end = first(b, 'ATR-End', 90000);
    assert.ok(fb !== undefined && fb < 90000, `fallback at ${fb}`);
    assert.ok(end !== undefined, 'ATR never ended after the atrium fell silent');
    const vBeforeEnd = b.times(V_EVENTS, 90000, end).length;
    assert.ok(vBeforeEnd <= 10, `${vBeforeEnd} ventricular events of silence before ATR-End`);
    assert.equal(b.engine.status().atr, 'idle');
    assert.equal(b.engine.status().effectiveMode, 'DDD');
  });

  it('Duration cannot reach fallback once the tachycardia is over', () => {
    // 5 s of tachycardia: long enough for onset (ATR-Dur), far shorter than the 20-cycle Duration; then silence.
    const b = atrBench('DDD', 5000, 10000);
    b.run(60000);
    const dur = first(b, 'ATR-Dur');
    assert.ok(dur !== undefined && dur < 10000, `onset at ${dur}`);
    assert.equal(first(b, 'ATR-FB'), undefined, 'fell back after the tachycardia had ended');
    assert.ok(first(b, 'ATR-End', dur) !== undefined, 'ATR never ended');
  });
});
