// The device image carries no regular-expression engine: XS links it (xsre.c, xsRegExp.c, about
// 30 KB of the nRF52 image) only when a module has a RegExp literal or calls RegExp
// (docs/memory.md). This keeps it that way for every file the manifest compiles for a device.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where a source uses a RegExp: literals, and RegExp called or constructed. */
function regExpUses(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const call = ts.isNewExpression(node) || ts.isCallExpression(node);
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral || (call && node.expression.getText(file) === 'RegExp')) {
      found.push(`${path}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${node.getText(file)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function deviceSources(): string[] {
  const under = (dir: string) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => `${dir}/${f.split(sep).join('/')}`);
  // The noble modules are excluded from the device manifest ("~"); the host alone loads them.
  return ['main.ts', ...under('modules'), ...under('platforms')].filter((f) => !f.startsWith('modules/crypto/noble-'));
}

describe('no RegExp in the device image', () => {
  it('no module compiled for a device uses a RegExp', () => {
    const uses = deviceSources().flatMap((path) => regExpUses(path, readFileSync(join(root, path), 'utf8')));
    assert.deepEqual(uses, []);
  });

  it('the check sees literals, constructions and calls', () => {
    const uses = regExpUses('x.ts', "const a = /x+/g.test(s);\nconst b = new RegExp('y');\nconst c = RegExp('z');\nconst d = 'a/b/c'.split('/');");
    assert.equal(uses.length, 3);
  });
});
