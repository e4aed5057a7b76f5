// The firmware's import graph and the layer rules over it (docs/architecture.md, section 1).
// Imports are read with the TypeScript scanner (ts.preProcessFile: static imports, re-exports,
// type-only imports and import() of a literal); an import() of anything else cannot be followed
// and counts as a violation, as does a relative import that resolves to no file.
import { posix } from 'node:path';
import ts from 'typescript';

/** Where an import leads: a file of the tree, a bare specifier, or nowhere the checker can follow. */
export type Target = { kind: 'file'; path: string } | { kind: 'bare'; specifier: string } | { kind: 'opaque'; specifier: string };

export interface ImportEdge {
  from: string;
  target: Target;
}

/** Files by repository-relative POSIX path. */
export interface SourceTree {
  /** The files to check (every .ts under modules/). */
  files: string[];
  read(path: string): string;
  exists(path: string): boolean;
}

export interface Violation {
  rule: string;
  /** The import path from the checked file to the offending import, last entry the offence. */
  chain: string[];
}

/** The import specifiers of one source file; non-literal import() calls come back as "<dynamic>". */
export function importSpecifiers(path: string, source: string): string[] {
  const specifiers = ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (!argument || !ts.isStringLiteralLike(argument)) specifiers.push('<dynamic>');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return specifiers;
}

/** Resolves like Node with our loader and tsconfig: "./x.js" is x.ts when only the source exists. */
export function resolveImport(from: string, specifier: string, exists: (path: string) => boolean): Target {
  if (specifier === '<dynamic>') return { kind: 'opaque', specifier };
  if (!specifier.startsWith('.') && !specifier.startsWith('/')) return { kind: 'bare', specifier };
  const path = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = path.endsWith('.js') ? [path.slice(0, -3) + '.ts', path] : [path, path + '.ts'];
  const found = candidates.find(exists);
  return found ? { kind: 'file', path: found } : { kind: 'opaque', specifier };
}

export function buildGraph(tree: SourceTree): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const from of tree.files) {
    graph.set(
      from,
      importSpecifiers(from, tree.read(from)).map((specifier) => ({ from, target: resolveImport(from, specifier, tree.exists) })),
    );
  }
  return graph;
}

const FIRMWARE = 'modules/';
/** The door to third-party code: what esbuild bundles as the specifier "noble" (tools/flash/bundle-noble.mjs). */
const NOBLE_BUNDLE = Object.freeze(['modules/crypto/noble-entry.ts', 'modules/crypto/noble-device-entry.ts']);
/** The therapy machine (the worker): its engine, protocol and device I/O need nothing but these. */
const THERAPY = 'modules/therapy/';
const THERAPY_ALLOWED = Object.freeze([THERAPY, 'modules/core/', 'modules/platform/']);
/** Therapy's main-machine side: supervisor, backup pacer, command bindings, saved parameters. */
const THERAPY_CONTROL = 'modules/therapy-control/';
const THERAPY_CONTROL_FORBIDDEN = Object.freeze(['modules/ble/', 'modules/access/', 'modules/app/']);
/** The composition root: it imports every concern, and no concern imports it. */
const APP = 'modules/app/';

/**
 * Portable core: firmware files that are neither device adapters nor platform glue. An adapter
 * is named device-*.ts or sits in modules/platform/ AND imports a Moddable specifier itself
 * (given its `edges`); one named so without such an import is portable and checked as such.
 */
export function isPortableCore(path: string, edges?: readonly ImportEdge[]): boolean {
  if (!path.startsWith(FIRMWARE)) return false;
  if (!posix.basename(path).startsWith('device-') && !path.startsWith('modules/platform/')) return true;
  return edges !== undefined && !edges.some(({ target }) => target.kind === 'bare' && !portableBare(path, target.specifier));
}

/** Bare specifiers portable code may import: "noble", and @noble itself inside the noble bundle's entries. */
function portableBare(importer: string, specifier: string): boolean {
  return specifier === 'noble' || (NOBLE_BUNDLE.includes(importer) && specifier.startsWith('@noble/'));
}

function describe(target: Target): string {
  return target.kind === 'file' ? target.path : target.kind === 'bare' ? `"${target.specifier}"` : `unfollowable import ${target.specifier}`;
}

/** Every import reachable from `start` through firmware files, each with its importer and the chain that reaches it. */
function reachable(graph: Map<string, ImportEdge[]>, start: string): Array<ImportEdge & { chain: string[] }> {
  const found: Array<ImportEdge & { chain: string[] }> = [];
  const seen = new Set([start]);
  const queue: Array<{ path: string; chain: string[] }> = [{ path: start, chain: [start] }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    for (const edge of graph.get(item.path) ?? []) {
      const chain = [...item.chain, describe(edge.target)];
      found.push({ ...edge, chain });
      if (edge.target.kind === 'file' && graph.has(edge.target.path) && !seen.has(edge.target.path)) {
        seen.add(edge.target.path);
        queue.push({ path: edge.target.path, chain });
      }
    }
  }
  return found;
}

/** Checks every rule for every file of the graph; returns the violations, first chain per offence. */
export function checkLayerRules(graph: Map<string, ImportEdge[]>): Violation[] {
  const violations: Violation[] = [];
  for (const file of graph.keys()) {
    if (!file.startsWith(FIRMWARE)) continue;
    for (const { from, target, chain } of reachable(graph, file)) {
      if (chain.length === 2 && target.kind === 'file' && !target.path.startsWith(FIRMWARE)) {
        violations.push({ rule: 'firmware imports only firmware files (nothing from hosttest/, tools/, ...)', chain });
      }
      if (chain.length === 2 && target.kind === 'opaque') {
        violations.push({ rule: 'every import can be followed (literal specifier, existing file)', chain });
      }
      if (file.startsWith(THERAPY) && target.kind === 'file' && !THERAPY_ALLOWED.some((p) => target.path.startsWith(p))) {
        violations.push({ rule: 'the therapy worker imports only therapy, core and platform files', chain });
      }
      if (file.startsWith(THERAPY_CONTROL) && target.kind === 'file' && THERAPY_CONTROL_FORBIDDEN.some((p) => target.path.startsWith(p))) {
        violations.push({ rule: 'therapy-control imports nothing from ble, access or app', chain });
      }
      if (chain.length === 2 && !file.startsWith(APP) && target.kind === 'file' && target.path.startsWith(APP)) {
        violations.push({ rule: 'only the composition root imports modules/app/', chain });
      }
      if (chain.length === 2 && target.kind === 'file' && NOBLE_BUNDLE.includes(target.path) && !NOBLE_BUNDLE.includes(file)) {
        violations.push({ rule: '@noble only through the "noble" specifier, never by path', chain });
      }
      if (isPortableCore(file, graph.get(file)) && target.kind === 'bare' && !portableBare(from, target.specifier)) {
        violations.push({ rule: 'portable core imports no Moddable and no Node specifier', chain });
      }
    }
  }
  return violations;
}

const TESTS = 'hosttest/';

/** Direct imports of hosttest/ from anywhere else: tests use the host runtime, never the reverse. */
export function checkTestsApart(graph: Map<string, ImportEdge[]>): Violation[] {
  return [...graph.values()].flat()
    .filter(({ from, target }) => !from.startsWith(TESTS) && target.kind === 'file' && target.path.startsWith(TESTS))
    .map(({ from, target }) => ({ rule: 'nothing outside hosttest/ imports hosttest/', chain: [from, describe(target)] }));
}

/** The files reached from `entries` through file imports; the bare "noble" reaches `nobleEntry` (what esbuild bundles for the device). */
export function reachedFrom(graph: Map<string, ImportEdge[]>, entries: readonly string[], nobleEntry: string): Set<string> {
  const reached = new Set<string>();
  const queue = [...entries];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    for (const { target } of graph.get(file) ?? []) {
      if (target.kind === 'file') queue.push(target.path);
      else if (target.kind === 'bare' && target.specifier === 'noble') queue.push(nobleEntry);
    }
  }
  return reached;
}
