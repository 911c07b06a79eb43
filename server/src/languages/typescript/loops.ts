/**
 * The loop a query runs in: `for…of`/`for await`/`for…in`/`for`, or an iteration callback
 * (`xs.map(async (x) => …)`, `forEach`, `flatMap`, `reduce`, `filter`, …), within the same
 * function. A function boundary that is not an iteration callback ends the search: a query in a
 * helper defined inside a loop body is that helper's, not the loop's.
 */
import ts from 'typescript';
import type { LoopFact } from '../facts';
import { walk } from './walk';

const ITERATION_METHODS = new Set(['map', 'forEach', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'sort', 'each', 'mapSeries', 'eachSeries']);

function bindingNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

function lineStart(sf: ts.SourceFile, pos: number): number {
  return sf.getLineStarts()[sf.getLineAndCharacterOfPosition(pos).line];
}

/** The statement that holds `node` (for code to insert before a loop written as an expression). */
function statementOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !ts.isCaseClause(n.parent)) n = n.parent;
  return n;
}

function isPromiseAll(call: ts.Node | undefined): boolean {
  return !!call && ts.isCallExpression(call) && /^Promise\.(all|allSettled)$/.test(call.expression.getText());
}

export interface EnclosingLoop {
  fact: LoopFact;
  /** The loop's body, where per-item locals are declared. */
  body: ts.Node;
}

export function enclosingLoop(node: ts.Node): EnclosingLoop | undefined {
  const sf = node.getSourceFile();
  let child: ts.Node = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && child === n.statement) {
      const init = n.initializer;
      const variables = ts.isVariableDeclarationList(init) ? init.declarations.flatMap((d) => bindingNames(d.name)) : [init.getText()];
      const kind = ts.isForInStatement(n) ? 'for-in' : n.awaitModifier ? 'for-await' : 'for-of';
      return { body: n.statement, fact: { kind, variables, iterable: n.expression.getText(), start: n.getStart(), end: n.statement.getStart(), statementStart: lineStart(sf, n.getStart()), concurrent: false } };
    }
    if (ts.isForStatement(n) && child === n.statement) {
      // `for (let i = 0; i < xs.length; i++)`: the item is `xs[i]`; the index is the per-item variable.
      const variables = n.initializer && ts.isVariableDeclarationList(n.initializer) ? n.initializer.declarations.flatMap((d) => bindingNames(d.name)) : [];
      const bound = n.condition && ts.isBinaryExpression(n.condition) ? n.condition.right.getText().replace(/\.length$/, '') : undefined;
      return { body: n.statement, fact: { kind: 'for', variables, iterable: bound, start: n.getStart(), end: n.statement.getStart(), statementStart: lineStart(sf, n.getStart()), concurrent: false } };
    }
    if (ts.isFunctionLike(n)) {
      const call = n.parent;
      if (
        call && ts.isCallExpression(call) && call.arguments[0] === n &&
        ts.isPropertyAccessExpression(call.expression) && ITERATION_METHODS.has(call.expression.name.text) &&
        (ts.isArrowFunction(n) || ts.isFunctionExpression(n))
      ) {
        const params = n.parameters.flatMap((p) => bindingNames(p.name));
        // reduce's first parameter is the accumulator, not the item.
        const variables = /^reduce/.test(call.expression.name.text) ? params.slice(1) : params;
        const concurrent = call.expression.name.text === 'map' && isPromiseAll(call.parent);
        const stmt = statementOf(call);
        return {
          body: n.body,
          fact: { kind: 'callback', variables, iterable: call.expression.expression.getText(), start: call.getStart(), end: n.body.getStart(), statementStart: lineStart(sf, stmt.getStart()), concurrent },
        };
      }
      return undefined;
    }
  }
  return undefined;
}

/** Names that carry the item: the loop variables, and locals of the body derived from them. */
function itemNames(loop: EnclosingLoop, before: number): Set<string> {
  const names = new Set(loop.fact.variables);
  walk(loop.body, (n) => {
    if (n.pos >= before && n !== loop.body) return false;
    if (ts.isVariableDeclaration(n) && n.initializer && mentions(n.initializer, names)) for (const v of bindingNames(n.name)) names.add(v);
    if (ts.isFunctionLike(n) && n !== loop.body) return false;
  });
  return names;
}

function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (ts.isIdentifier(n) && names.has(n.text)) {
      // `x.post` mentions x, not a `post` variable.
      const p = n.parent;
      if (!(ts.isPropertyAccessExpression(p) && p.name === n) && !(ts.isPropertyAssignment(p) && p.name === n)) found = true;
    }
    if (ts.isShorthandPropertyAssignment(n) && names.has(n.name.text)) found = true;
  });
  return found;
}

/** Does the query (its whole call, chain included) use the loop's item? */
export function usesItem(loop: EnclosingLoop, query: ts.Node): boolean {
  return mentions(query, itemNames(loop, query.getStart()));
}
