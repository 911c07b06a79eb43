/**
 * Reads on a loop's item that may load a relation lazily, one query per item, with no query call
 * in sight: `await post.author` (a TypeORM lazy relation), `post.getAuthor()` (a Sequelize
 * association getter), `post.populate('author')` (Mongoose, per document). Which of them really
 * are relations is the workspace's models' call; this file only finds the shapes, the items'
 * likely models and the query that produced the items.
 */
import ts from 'typescript';
import type { LoopFact } from '../facts';
import type { FileImports } from './imports';
import { itemsSource, itemTypeHints, type ItemsSource } from './items-source';
import { enclosingLoop } from './loops';
import type { TsQueryFact } from './queries';
import { nodesOfKind } from './walk';

export interface TsLazyAccess {
  /** `awaited-property`: `await post.author`; `getter`: `post.getAuthor()` / `post.$get('author')`; `populate`: `post.populate('author')`. */
  kind: 'awaited-property' | 'getter' | 'populate' | 'mikro-load';
  loop: LoopFact;
  /** The loop variable: `post`. */
  item: string;
  /** The property (`author`), getter (`getAuthor`, or `author` for `$get`), or populate path. */
  name: string;
  /** What a finding covers and a fix may rewrite: the awaited expression, or the call. */
  expr: ts.Expression;
  /** The call of a getter or populate. */
  call?: ts.CallExpression;
  /** Models the item may be: from the query that produced it, then type annotations. */
  itemModels: string[];
  source?: ItemsSource;
  /** The file imports mongoose (evidence that `.populate()` on an item is Mongoose's). */
  mongooseImported?: boolean;
  start: number;
  end: number;
}

/** `await x` around `e` (through parentheses), else `e`. */
function awaited(e: ts.Expression): ts.Expression {
  let n: ts.Node = e;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isAwaitExpression(n.parent) ? n.parent : e;
}

function populatePath(arg: ts.Expression | undefined): string | undefined {
  if (!arg) return undefined;
  if (ts.isStringLiteralLike(arg) && /^[\w.]+$/.test(arg.text)) return arg.text;
  if (ts.isObjectLiteralExpression(arg)) {
    const p = arg.properties.find((x) => ts.isPropertyAssignment(x) && x.name.getText() === 'path');
    if (p && ts.isPropertyAssignment(p) && ts.isStringLiteralLike(p.initializer) && /^[\w.]+$/.test(p.initializer.text)) return p.initializer.text;
  }
  return undefined;
}

export function lazyAccesses(sf: ts.SourceFile, queries: readonly TsQueryFact[], imports: FileImports): TsLazyAccess[] {
  const byCall = new Map<ts.Node, TsQueryFact>(queries.map((q) => [q.call, q]));
  const out: TsLazyAccess[] = [];
  const seen = new Set<string>();
  nodesOfKind(sf, ts.SyntaxKind.AwaitExpression, ts.SyntaxKind.CallExpression).forEach((n) => {
    let found: Omit<TsLazyAccess, 'loop' | 'itemModels' | 'source' | 'start' | 'end'> | undefined;
    if (ts.isAwaitExpression(n)) {
      let e: ts.Expression = n.expression;
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) found = { kind: 'awaited-property', item: e.expression.text, name: e.name.text, expr: n };
    } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression)) {
      const method = n.expression.name.text;
      const item = n.expression.expression.text;
      const arg = n.arguments[0];
      if (/^get[A-Z]\w*$/.test(method) && n.arguments.length <= 1 && (!arg || ts.isObjectLiteralExpression(arg))) found = { kind: 'getter', item, name: method, expr: awaited(n), call: n };
      // Sequelize's other association accessors query too: `post.countComments()`, `user.hasRole(role)`.
      else if (/^(count|has)[A-Z]\w*$/.test(method) && n.arguments.length <= 2) found = { kind: 'getter', item, name: method, expr: awaited(n), call: n };
      else if (method === '$get' && arg && ts.isStringLiteralLike(arg)) found = { kind: 'getter', item, name: arg.text, expr: awaited(n), call: n };
      else if (method === 'populate' && n.arguments.length >= 1) {
        const path = populatePath(arg);
        // Mongoose 5: `doc.populate('author').execPopulate()`.
        let whole: ts.Expression = n;
        if (ts.isPropertyAccessExpression(n.parent) && n.parent.name.text === 'execPopulate' && ts.isCallExpression(n.parent.parent)) whole = n.parent.parent;
        if (path) found = { kind: 'populate', item, name: path, expr: awaited(whole), call: n, mongooseImported: imports.orms.has('mongoose') };
      }
    }
    // MikroORM references and collections: `book.author.load()`, `book.tags.init()`, `book.tags.loadItems()`.
    if (!found && ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && imports.orms.has('mikro-orm')) {
      const owner = n.expression.expression;
      if (/^(load|init|loadItems|loadCount|matching)$/.test(n.expression.name.text) && ts.isPropertyAccessExpression(owner) && ts.isIdentifier(owner.expression)) {
        found = { kind: 'mikro-load', item: owner.expression.text, name: owner.name.text, expr: awaited(n), call: n };
      }
    }
    if (!found) return;
    const loop = enclosingLoop(n);
    if (!loop || !loop.fact.variables.includes(found.item)) return;
    const key = `${loop.fact.start}:${found.kind}:${found.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const source = itemsSource(loop.body, byCall);
    const itemModels = [...(source?.model ? [source.model] : []), ...itemTypeHints(loop.body, found.item)];
    out.push({ ...found, loop: loop.fact, itemModels, source, start: found.expr.getStart(), end: found.expr.getEnd() });
  });
  return out;
}

/**
 * Prisma's fluent API on a per-item lookup: `prisma.post.findUnique({ where: { id } }).author()`
 * is one more query per call. The relation's name, and the call that reads it.
 */
export function fluentRelation(q: TsQueryFact): { name: string; call: ts.CallExpression } | undefined {
  if (q.orm !== 'prisma' || !/^(findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow)$/.test(q.operation)) return undefined;
  const p = q.call.parent;
  if (!ts.isPropertyAccessExpression(p) || p.expression !== q.call || /^(then|catch|finally)$/.test(p.name.text)) return undefined;
  return ts.isCallExpression(p.parent) && p.parent.expression === p ? { name: p.name.text, call: p.parent } : undefined;
}
