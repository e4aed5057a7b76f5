// `implant heart`: the JSON shape the issue fixes, a scenario file of one's own, usage errors.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKER_TYPES } from '../../modules/therapy/markers.js';
import { main } from '../../tools/cli/main.js';
import { SCENARIO_DIR } from '../../host/heart/closed-loop.js';

async function implant(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('implant heart', () => {
  it('--json prints exactly {verdict, violations, events} with {t_ms, type} events', async () => {
    const r = await implant('heart', '--scenario', 'pvc-retrograde', '--mode', 'DDD', '--minutes', '2', '--seed', '9', '--json');
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out);
    assert.deepEqual(Object.keys(result), ['verdict', 'violations', 'events']);
    assert.equal(result.verdict, 'pass');
    assert.deepEqual(result.violations, []);
    assert.ok(result.events.length > 200);
    for (const e of result.events) {
      assert.deepEqual(Object.keys(e), ['t_ms', 'type']);
      assert.ok(Number.isInteger(e.t_ms) && (MARKER_TYPES as readonly string[]).includes(e.type));
    }
    assert.ok(result.events.some((e: { type: string }) => e.type === 'PVC'));
  });

  it('runs a scenario file of your own, with --set', async () => {
    const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, 'complete-av-block.json'), 'utf8'));
    scenario.name = 'my-heart';
    scenario.escapeBpm = 20;
    const file = join(mkdtempSync(join(tmpdir(), 'heart-')), 'my-heart.json');
    writeFileSync(file, JSON.stringify(scenario));
    const r = await implant('heart', '--scenario', file, '--mode', 'VVI', '--set', 'lrl=45', '--set', 'hysteresis=40', '--minutes', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /my-heart, VVI, 1 min, seed 1: .*VP \d+/);
    assert.match(r.out, /verdict: pass/);
  });

  it('runs every mode of the spec, the temporary-only ones as a temporary set', async () => {
    const r = await implant('heart', '--scenario', 'crosstalk', '--mode', 'ODO', '--minutes', '1', '--json');
    assert.equal(r.code, 0, r.err);
    const { verdict, events } = JSON.parse(r.out);
    assert.equal(verdict, 'pass');
    assert.equal(events.filter((e: { type: string }) => e.type === 'PRM').length, 2, 'the permanent set, then the temporary ODO');
    assert.ok(events.some((e: { t_ms: number; type: string }) => e.t_ms > 5000 && e.type === 'VS'), 'ODO senses');
    assert.ok(!events.some((e: { t_ms: number; type: string }) => e.t_ms > 6000 && (e.type === 'AP' || e.type === 'VP')), 'ODO paces nothing');
  });

  it('usage errors exit 2 and name what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['--mode', 'DDD'], /--scenario is required/],
      [['--scenario', 'normal-sinus', '--mode', 'DDDX'], /--mode must be one of/],
      [['--scenario', 'normal-sinus', '--mode', 'DDD', '--set', 'lrl=61', '--set', 'url=61'], /url/],
      [['--scenario', 'normal-sinus', '--mode', 'DDD', '--set', 'bogus=1'], /parameter name/],
      [['--scenario', 'normal-sinus', '--mode', 'DDD', '--minutes', '0'], /--minutes/],
      [['--scenario', 'normal-sinus', '--mode', 'DDD', '--frobnicate'], /unknown option/],
    ];
    for (const [argv, message] of cases) {
      const r = await implant('heart', ...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
    }
    const bad = join(mkdtempSync(join(tmpdir(), 'heart-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', atrium: { kind: 'sinus', rateBpm: 900 } }));
    const r = await implant('heart', '--scenario', bad, '--mode', 'VVI');
    assert.equal(r.code, 2);
    assert.match(r.err, /atrium.rateBpm/);
  });
});
