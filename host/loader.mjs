// Node module hooks: transpile .ts with esbuild, resolve "./x.js" to "./x.ts" when only the
// TypeScript source exists (the convention mcconfig, Node and esbuild share), and map bare
// Moddable specifiers to the host shims. Anything else falls through to Node.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const root = new URL('../', import.meta.url);
const shims = new URL('./shims/', import.meta.url);
const aliases = { noble: new URL('modules/crypto/noble-entry.ts', root) };

function isBare(specifier) {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z]+:/.test(specifier);
}

export async function resolve(specifier, context, next) {
  if (aliases[specifier]) return { url: aliases[specifier].href, shortCircuit: true };
  if (isBare(specifier) && !specifier.startsWith('@')) {
    const shim = new URL(`${specifier}.ts`, shims);
    if (existsSync(fileURLToPath(shim))) return { url: shim.href, shortCircuit: true };
  }
  if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(ts))) {
      return { url: ts.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'inline', sourcefile: path,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
