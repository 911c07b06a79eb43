/**
 * Functions of one file that issue a query, directly or through other such functions, and the
 * calls to them inside loops: a query per item hidden behind a helper (`loadAuthor(post.authorId)`
 * where `loadAuthor` runs `prisma.user.findUnique`). The chain of names goes into the message.
 */
import ts from 'typescript';
import { enclosingLoop, usesItem } from './loops';
import type { TsQueryFact } from './queries';
import { walk } from './walk';

/** `function f`, `const f = () =>`, `f() {}` in a class or object: the name calls use. */
function functionName(fn: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
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
    const fn = enclosingNamedFunction(q.call);
    if (fn && !helpers.has(fn.name)) helpers.set(fn.name, { chain: [fn.name, q.callee], query: q });
  }
  if (helpers.size === 0) return helpers;
  // Helpers of helpers, a few levels deep.
  const calls: Array<{ call: ts.CallExpression; name: string }> = [];
  walk(sf, (n) => {
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
  walk(sf, (n) => {
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
