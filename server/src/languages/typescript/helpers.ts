/**
 * Functions of one file that issue a query, directly or through other such functions, and the
 * calls to them inside loops: a query per item hidden behind a helper (`loadAuthor(post.authorId)`
 * where `loadAuthor` runs `prisma.user.findUnique`). The chain of names goes into the message.
 */
import ts from 'typescript';
import type { ImportedCallFact, QueryHelperFact } from '../facts';
import { calleeMatches, RUNS_SQL } from './embedded-sql';
import { enclosingLoop, usesItem } from './loops';
import type { TsQueryFact } from './queries';
import { nodesOfKind } from './walk';

/** `function f`, `const f = () =>`, `f() {}` in a class or object, `exports.f = …`: the name calls use. */
export function functionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  // CommonJS: `exports.load = async (id) => …`, `module.exports.load = function …`.
  const assigned = fn.parent;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isBinaryExpression(assigned) && assigned.right === fn && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const m = /^(?:module\.)?exports\.(\w+)$/.exec(assigned.left.getText());
    if (m) return m[1];
  }
  return undefined;
}

function enclosingNamedFunction(node: ts.Node): { name: string; node: ts.Node } | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const name = functionName(n);
      return name ? { name, node: n } : undefined;
    }
  }
  return undefined;
}

/** The class a method is declared in, by name (`ReportsService` of its `countFor`). */
export function ownerClassName(fn: ts.Node): string | undefined {
  return ts.isMethodDeclaration(fn) && ts.isClassDeclaration(fn.parent) ? fn.parent.name?.text : undefined;
}

/** Whether a helper's name is exported: the function, or `Class.method` of an exported class. */
export function isExportedName(names: ReadonlySet<string>, name: string): boolean {
  return names.has(name) || (name.includes('.') && names.has(name.split('.')[0]));
}

/** The name a call targets, if it is a plain function or a method on `this`. */
function calledName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return e.name.text;
  return undefined;
}

/** name → the chain from that function to a query: `['loadAuthor', 'prisma.user.findUnique']`. */
export function queryHelpers(sf: ts.SourceFile, queries: readonly TsQueryFact[]): Map<string, { chain: string[]; query: TsQueryFact }> {
  const helpers = new Map<string, { chain: string[]; query: TsQueryFact }>();
  for (const q of queries) {
    // A builder the function composes into another query (a part of a UNION, a subquery) is not run there.
    if (q.fragment) continue;
    const fn = enclosingNamedFunction(q.call);
    if (fn && !helpers.has(fn.name)) helpers.set(fn.name, { chain: [fn.name, q.callee], query: q });
    // A method also by `Class.method`: other classes call it through an injected instance
    // (`this.reports.countFor(id)`, the NestJS way).
    const owner = fn && ownerClassName(fn.node);
    if (fn && owner && !helpers.has(`${owner}.${fn.name}`)) helpers.set(`${owner}.${fn.name}`, { chain: [`${owner}.${fn.name}`, q.callee], query: q });
  }
  if (helpers.size === 0) return helpers;
  // Helpers of helpers, a few levels deep.
  const calls: Array<{ call: ts.CallExpression; name: string }> = [];
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (ts.isCallExpression(n)) {
      const name = calledName(n);
      if (name) calls.push({ call: n, name });
    }
  });
  for (let round = 0; round < 3; round++) {
    let grew = false;
    for (const { call, name } of calls) {
      const inner = helpers.get(name);
      const outer = inner && enclosingNamedFunction(call);
      if (inner && outer && !helpers.has(outer.name)) {
        helpers.set(outer.name, { chain: [outer.name, ...inner.chain], query: inner.query });
        // A service method that calls the class's query method (`summary()` → `this.countFor()`).
        const owner = ownerClassName(outer.node);
        if (owner && !helpers.has(`${owner}.${outer.name}`)) helpers.set(`${owner}.${outer.name}`, { chain: [`${owner}.${outer.name}`, ...inner.chain], query: inner.query });
        grew = true;
      }
    }
    if (!grew) break;
  }
  return helpers;
}

/** Calls to query helpers inside loops, as query facts carrying the chain. */
export function helperCallsInLoops(sf: ts.SourceFile, helpers: ReadonlyMap<string, { chain: string[]; query: TsQueryFact }>): TsQueryFact[] {
  const out: TsQueryFact[] = [];
  if (helpers.size === 0) return out;
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (ts.isCallExpression(n)) {
      const name = calledName(n);
      const helper = name ? helpers.get(name) : undefined;
      if (helper) {
        const loop = enclosingLoop(n);
        if (loop) {
          const q = helper.query;
          out.push({
            orm: q.orm, model: q.model, operation: q.operation, callee: n.expression.getText(), start: n.getStart(), end: n.getEnd(), call: n, style: q.style,
            loop: loop.fact, usesLoopItem: usesItem(loop, n), write: q.write, via: helper.chain,
          });
        }
      }
    }
  });
  return out;
}

/** Names this file exports (ESM `export`, `export { … }`, `export default function`, CommonJS `exports.x`). */
export function exportedNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && exported(st)) names.add(st.name.text);
    if (ts.isClassDeclaration(st) && st.name && exported(st)) names.add(st.name.text);
    if (ts.isVariableStatement(st) && exported(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) names.add((el.propertyName ?? el.name).text);
    }
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
      const left = st.expression.left.getText();
      const m = /^(?:module\.)?exports\.(\w+)$/.exec(left);
      if (m) names.add(m[1]);
      if (left === 'module.exports' && ts.isObjectLiteralExpression(st.expression.right)) {
        for (const p of st.expression.right.properties) if (p.name && ts.isIdentifier(p.name)) names.add(p.name.text);
      }
    }
  }
  return names;
}

/** The query helpers other files can import. */
export function exportedQueryHelpers(sf: ts.SourceFile, helpers: ReadonlyMap<string, { chain: string[]; query: TsQueryFact }>): QueryHelperFact[] {
  if (helpers.size === 0) return [];
  const names = exportedNames(sf);
  return [...helpers].filter(([name]) => isExportedName(names, name)).map(([name, h]) => ({ name, chain: h.chain, orm: h.query.orm, operation: h.query.operation, write: h.query.write }));
}

/** Module specifiers of workspace files: relative, and aliases (`@/…`, `~/…`) tsconfig paths may resolve; not packages. */
const WORKSPACE_MODULE = /^(\.|@\/|~\/|#|src\/)/;

/** `require('./users')` with a workspace module: its specifier. */
function workspaceRequire(e: ts.Expression | undefined): string | undefined {
  if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'require') return undefined;
  const arg = e.arguments[0];
  return e.arguments.length === 1 && ts.isStringLiteral(arg) && WORKSPACE_MODULE.test(arg.text) ? arg.text : undefined;
}

interface WorkspaceBindings {
  /** Local name → the module and the name it exports (`import { load } from './users'`, `const { load } = require('./users')`). */
  names: Map<string, { module: string; name: string }>;
  /** Local name → module, for a whole module (`import * as users from './users'`, `const users = require('./users')`). */
  namespaces: Map<string, string>;
}

/** Names the file's top-level imports and CommonJS requires bind to workspace modules. */
function workspaceBindings(sf: ts.SourceFile): WorkspaceBindings {
  const names = new Map<string, { module: string; name: string }>();
  const namespaces = new Map<string, string>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      if (!ts.isStringLiteral(st.moduleSpecifier) || !WORKSPACE_MODULE.test(st.moduleSpecifier.text)) continue;
      const module = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.name) names.set(clause.name.text, { module, name: clause.name.text });
      const b = clause?.namedBindings;
      if (b && ts.isNamedImports(b)) for (const el of b.elements) names.set(el.name.text, { module, name: (el.propertyName ?? el.name).text });
      else if (b && ts.isNamespaceImport(b)) namespaces.set(b.name.text, module);
      continue;
    }
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      const module = workspaceRequire(init);
      if (module && ts.isIdentifier(d.name)) namespaces.set(d.name.text, module);
      else if (module && ts.isObjectBindingPattern(d.name)) {
        for (const el of d.name.elements) {
          const exported = el.propertyName ?? el.name;
          if (!el.dotDotDotToken && ts.isIdentifier(el.name) && ts.isIdentifier(exported)) names.set(el.name.text, { module, name: exported.text });
        }
      } else if (init && ts.isPropertyAccessExpression(init) && ts.isIdentifier(d.name)) {
        // `const load = require('./users').load`
        const from = workspaceRequire(init.expression);
        if (from) names.set(d.name.text, { module: from, name: init.name.text });
      }
    }
  }
  return { names, namespaces };
}

/** Names bound by imports (and CommonJS requires) of workspace modules. */
export function relativeImports(sf: ts.SourceFile): Map<string, { module: string; name: string }> {
  return workspaceBindings(sf).names;
}

/**
 * The class `this.x` is typed with: a constructor parameter property (`constructor(private
 * reports: ReportsService)`, NestJS's injection) or a property declared with a type.
 */
export function injectedType(e: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let cls: ts.Node | undefined = e.parent;
  while (cls && !ts.isClassLike(cls)) cls = cls.parent;
  if (!cls || !ts.isClassLike(cls)) return undefined;
  const name = e.name.text;
  let type: ts.TypeNode | undefined;
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name) type = m.type;
    if (ts.isConstructorDeclaration(m)) for (const p of m.parameters) if (ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length) type = p.type;
  }
  return type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName.text : undefined;
}

/**
 * Calls in loops to functions imported from relative modules (`import { load } from './users'`),
 * and calls that run SQL imported from them (`pool.query(FIND_USER, [id])`).
 */
export function importedCallsInLoops(sf: ts.SourceFile, localHelpers: ReadonlyMap<string, unknown>): ImportedCallFact[] {
  const { names: imported, namespaces } = workspaceBindings(sf);
  const out: ImportedCallFact[] = [];
  if (imported.size === 0 && namespaces.size === 0) return out;
  nodesOfKind(sf, ts.SyntaxKind.CallExpression).forEach((n) => {
    if (!ts.isCallExpression(n)) return;
    const e = n.expression;
    let target: { module: string; name: string } | undefined;
    if (ts.isIdentifier(e) && !localHelpers.has(e.text)) target = imported.get(e.text);
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && namespaces.has(e.expression.text)) target = { module: namespaces.get(e.expression.text)!, name: e.name.text };
    else if (ts.isPropertyAccessExpression(e)) {
      // `this.reports.countFor(id)`: a method of the class the property is typed with, imported.
      const type = injectedType(e.expression);
      const from = type ? imported.get(type) : undefined;
      if (from) target = { module: from.module, name: `${from.name}.${e.name.text}` };
    }
    // `pool.query(FIND_USER, [id])` with FIND_USER imported: the other file's SQL constant, run here.
    const sql = target ? undefined : n.arguments[0];
    if (sql && calleeMatches(e, RUNS_SQL)) {
      if (ts.isIdentifier(sql)) target = imported.get(sql.text);
      else if (ts.isPropertyAccessExpression(sql) && ts.isIdentifier(sql.expression) && namespaces.has(sql.expression.text)) target = { module: namespaces.get(sql.expression.text)!, name: sql.name.text };
      if (!target) return;
      const loop = enclosingLoop(n);
      if (loop) out.push({ local: e.getText(), imported: target.name, module: target.module, argument: true, loop: loop.fact, usesLoopItem: usesItem(loop, n), start: e.getStart(), end: e.getEnd() });
      return;
    }
    if (!target) return;
    const loop = enclosingLoop(n);
    if (!loop) return;
    out.push({ local: e.getText(), imported: target.name, module: target.module, loop: loop.fact, usesLoopItem: usesItem(loop, n), start: e.getStart(), end: e.getEnd() });
  });
  return out;
}
