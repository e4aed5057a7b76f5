// docs/views.md: the four FDA architecture views exist as Mermaid diagrams, and every repository
// path they name exists, so a move or rename in the code breaks this test, not the reader.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const text = readFileSync(new URL('docs/views.md', root), 'utf8');

/** Repository paths named anywhere in a text: top-level folder, then path characters. */
function namedPaths(markdown: string): string[] {
  const found = markdown.match(/\b(?:modules|host|hosttest|tools|programmer|webapp|platforms|docs|bench)\/[A-Za-z0-9_./-]*[A-Za-z0-9_/]/g) ?? [];
  return [...new Set(found)];
}

describe('architecture views (docs/views.md)', () => {
  it('draws the four views the FDA guidance names, as Mermaid', () => {
    for (const heading of ['Global system view', 'Multi-patient harm view', 'Updatability and patchability view', 'Security use-case views']) {
      assert.match(text, new RegExp(`^## \\d\\. ${heading}$`, 'm'), heading);
    }
    assert.equal(text.match(/^```mermaid$/gm)?.length, 4);
  });

  it('names only paths that exist', () => {
    const paths = namedPaths(text);
    assert.ok(paths.length >= 30, `only ${paths.length} paths named`);
    const missing = paths.filter((p) => !existsSync(new URL(p, root)));
    assert.deepEqual(missing, []);
  });
});
