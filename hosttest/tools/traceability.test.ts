// Requirements → code → tests (docs/traceability.md, tools/evidence/traceability.mjs): every
// requirement is implemented somewhere and proven by a test, every annotation names a real
// requirement, and the document shows the current trace.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ES module of the tool, without types
import { renderTraceability, trace, DOC_FILE } from '../../tools/evidence/traceability.mjs';

interface Ref { id: string; file: string; line: number }
const t = trace() as { requirements: { id: string }[]; code: Ref[]; tests: Ref[] };
const ids = new Set(t.requirements.map((r) => r.id));

describe('traceability (docs/requirements.json)', () => {
  it('has unique requirement ids', () => {
    assert.equal(ids.size, t.requirements.length);
  });

  it('finds code for every requirement and a test for every requirement', () => {
    const noCode = [...ids].filter((id) => !t.code.some((c) => c.id === id));
    const noTest = [...ids].filter((id) => !t.tests.some((c) => c.id === id));
    assert.deepEqual({ noCode, noTest }, { noCode: [], noTest: [] });
  });

  it('has no annotation that names a requirement that does not exist', () => {
    const dangling = [...t.code, ...t.tests].filter((r) => !ids.has(r.id)).map((r) => `${r.file}:${r.line} ${r.id}`);
    assert.deepEqual(dangling, []);
  });

  it('is what docs/traceability.md shows (npm run docs:trace)', () => {
    assert.equal(readFileSync(new URL(`../../${DOC_FILE}`, import.meta.url), 'utf8'), renderTraceability(t));
  });
});
