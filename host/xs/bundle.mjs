// Bundles TypeScript for the XS engine on the host: one IIFE script (xsnap evaluates scripts,
// not modules), "noble" mapped to our entry, and class static fields lowered because XS 13.3
// (xsnap's engine) fails on noble's `static BASE = new Point()` (docs/crypto.md).
import { build } from 'esbuild';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles `imports` (project-relative paths, evaluated in this order) into one script.
 * Returns `{ script, sourceMap }`; `sourceMap` maps bundle lines back to the TypeScript sources.
 */
export function bundleForXS(imports, options) {
  return bundleEntryForXS(imports.map((path) => `import ${JSON.stringify(`./${path}`)};`).join('\n'), options);
}

/** Bundles an entry module given as source text, resolved from the project root. */
export async function bundleEntryForXS(contents, { globalName } = {}) {
  const result = await build({
    stdin: { contents, resolveDir: projectRoot, sourcefile: 'xs-entry.ts', loader: 'ts' },
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    sourcemap: 'external',
    outfile: 'xs-bundle.js',
    format: 'iife',
    ...(globalName ? { globalName } : {}),
    target: 'es2022',
    supported: { 'class-static-field': false },
    alias: { noble: './modules/crypto/noble-entry.ts' },
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const file = (suffix) => result.outputFiles.find((f) => f.path.endsWith(suffix)).text;
  return { script: file('.js'), sourceMap: new SourceMap(JSON.parse(file('.js.map'))) };
}

/** Rewrites XS stack frames `(#0:LINE)` to `(path/to/source.ts:LINE)` through the source map. */
export function mapStack(text, sourceMap) {
  return text.replace(/\(#0:(\d+)\)/g, (frame, line) => {
    // XS reports lines only; the last mapping on that bundle line names the source line.
    const entry = sourceMap.findEntry(Number(line) - 1, 1e6);
    if (!entry?.originalSource) return frame;
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
    return `(${source}:${entry.originalLine + 1})`;
  });
}
