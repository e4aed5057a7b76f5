// Finds module-scope values that the XS linker cannot keep writable in a preloaded module.
// Preloading runs a module at build time and puts what it created into flash; instances of
// these built-ins cannot be aliased back into RAM and throw when mutated at run time
// (docs/architecture.md "Preload"). The check works on types, so a helper that returns a
// Uint8Array is caught as surely as `new Uint8Array(...)`.
import ts from 'typescript';

/** Built-ins whose preloaded instances are read-only, by the name of their type. */
const FROZEN_IN_FLASH = Object.freeze([
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'ReadonlyMap', 'ReadonlySet',
  'Date', 'RegExp', 'Promise', 'WeakRef', 'FinalizationRegistry',
]);

export interface Finding {
  file: string;
  line: number;
  /** The module-scope name (variable, Class.static) or the start of the expression. */
  code: string;
  /** The offending type, with the property path that leads to it. */
  holds: string;
}

const MAX_DEPTH = 4;

/** The first frozen-in-flash type reachable in `type`'s value, with its path; undefined if none. */
function frozenPart(checker: ts.TypeChecker, type: ts.Type, path: string, depth: number, seen: Set<ts.Type>): string | undefined {
  if (depth > MAX_DEPTH || seen.has(type)) return undefined;
  seen.add(type);
  if (type.isUnionOrIntersection()) {
    for (const part of type.types) {
      const found = frozenPart(checker, part, path, depth, seen);
      if (found) return found;
    }
    return undefined;
  }
  const name = type.getSymbol()?.getName();
  if (name && FROZEN_IN_FLASH.includes(name)) return `${checker.typeToString(type)}${path ? ` at ${path}` : ''}`;
  if (!(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0) return undefined;
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    for (const element of checker.getTypeArguments(type as ts.TypeReference)) {
      const found = frozenPart(checker, element, `${path}[]`, depth + 1, seen);
      if (found) return found;
    }
    return undefined;
  }
  for (const property of type.getProperties()) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    if (!declaration) continue;
    const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
    const found = frozenPart(checker, propertyType, path ? `${path}.${property.getName()}` : property.getName(), depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

interface ScopeValue {
  node: ts.Node;
  label: string;
}

/** Expressions evaluated when the module itself runs (not inside a function called later). */
function moduleScopeValues(file: ts.SourceFile): ScopeValue[] {
  const values: ScopeValue[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.initializer) values.push({ node: declaration.initializer, label: declaration.name.getText(file) });
      }
    } else if (ts.isClassDeclaration(statement)) {
      const className = statement.name?.text ?? 'default';
      for (const member of statement.members) {
        const isStatic = ts.canHaveModifiers(member) && ts.getModifiers(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (isStatic && ts.isPropertyDeclaration(member)) values.push({ node: member, label: `${className}.${member.name.getText(file)}` });
        if (ts.isClassStaticBlockDeclaration(member)) values.push({ node: member, label: `${className} static block` });
      }
    } else if (ts.isExportAssignment(statement) || ts.isExpressionStatement(statement)) {
      values.push({ node: statement.expression, label: statement.expression.getText(file).replace(/\s+/g, ' ').slice(0, 60) });
    }
  }
  return values;
}

/** A class static field that is not readonly: preloaded classes are frozen, so writes throw. */
function mutableStatic(node: ts.Node): boolean {
  return ts.isPropertyDeclaration(node) && !ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword);
}

export function findModuleScopeHazards(program: ts.Program, files: readonly string[]): Finding[] {
  const checker = program.getTypeChecker();
  const findings: Finding[] = [];
  for (const fileName of files) {
    const file = program.getSourceFile(fileName);
    if (!file) throw new Error(`not in the program: ${fileName}`);
    for (const { node, label: code } of moduleScopeValues(file)) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      if (mutableStatic(node)) {
        findings.push({ file: fileName, line, code, holds: 'a static field that is not readonly (preloaded classes are frozen)' });
        continue;
      }
      if (ts.isClassStaticBlockDeclaration(node)) {
        findings.push({ file: fileName, line, code, holds: 'a static block (runs at build time on a class that is then frozen)' });
        continue;
      }
      const holds = frozenPart(checker, checker.getTypeAtLocation(node), '', 0, new Set());
      if (holds) findings.push({ file: fileName, line, code, holds });
    }
  }
  return findings;
}
