// docs/threats.json, the threat model as data: every threat names tests that exist by their exact
// title and are not skipped, every historical attack maps to a threat, every interface has one,
// and docs/threat-model.md shows exactly what the data says.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module of the tool, without types
import { readThreats, regenerated, riskScore, DOC_FILE } from '../../tools/evidence/threat-model.mjs';

interface TestRef { file: string; name: string }
interface Threat { id: string; title: string; stride: string[]; interface: string; attacks: string[]; tests: TestRef[]; risk: Record<'before' | 'after', { exploitability: number; severity: number }> }
interface Data { interfaces: string[]; attacks: { id: string }[]; threats: Threat[] }

const root = new URL('../../', import.meta.url);
const data = readThreats() as Data;

/** Titles of it()/describe() calls in a test file written as plain string literals, with how they are declared. */
function declaredTitles(source: string): Map<string, string> {
  const titles = new Map<string, string>();
  const call = /\b((?:x|)(?:it|describe)(?:\.skip|\.only)?)\(\s*(['"`])((?:\\.|(?!\2).)*)\2/g;
  for (const m of source.matchAll(call)) titles.set(m[3].replace(/\\(.)/g, '$1'), m[1]);
  return titles;
}

describe('threat model as data (docs/threats.json)', () => {
  it('gives every threat a STRIDE class, an interface, a risk before and after, and at least one test', () => {
    for (const t of data.threats) {
      assert.ok(t.stride.length > 0 && t.stride.every((s) => 'STRIDE'.includes(s) && s.length === 1), `${t.id} STRIDE`);
      assert.ok(data.interfaces.includes(t.interface), `${t.id} names interface ${t.interface}`);
      assert.ok(riskScore(t.risk.after).score <= riskScore(t.risk.before).score, `${t.id}: the controls do not raise the risk`);
      assert.ok(t.tests.length > 0, `${t.id} names no test`);
    }
  });

  it('names only tests that exist, by their exact title, and none that is skipped', () => {
    const problems: string[] = [];
    for (const t of data.threats) {
      for (const ref of t.tests) {
        if (!existsSync(new URL(ref.file, root))) {
          problems.push(`${t.id}: ${ref.file} does not exist`);
          continue;
        }
        const source = readFileSync(new URL(ref.file, root), 'utf8');
        const how = declaredTitles(source).get(ref.name);
        if (!how) problems.push(`${t.id}: no test titled "${ref.name}" in ${ref.file}`);
        else if (/skip|^x/.test(how) || /this\.skip\(\)/.test(source)) problems.push(`${t.id}: "${ref.name}" in ${ref.file} is skipped`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('maps every historical attack to a threat, and covers every interface', () => {
    for (const a of data.attacks) assert.ok(data.threats.some((t) => t.attacks.includes(a.id)), `${a.id} maps to no threat`);
    for (const t of data.threats) for (const a of t.attacks) assert.ok(data.attacks.some((x) => x.id === a), `${t.id} names unknown attack ${a}`);
    for (const i of data.interfaces) assert.ok(data.threats.some((t) => t.interface === i), `no threat on the ${i}`);
  });

  it('is what docs/threat-model.md shows (npm run docs:threats)', () => {
    const doc = readFileSync(new URL(DOC_FILE, root), 'utf8');
    assert.equal(regenerated(doc, data), doc, 'docs/threat-model.md is out of date: run npm run docs:threats');
  });
});
