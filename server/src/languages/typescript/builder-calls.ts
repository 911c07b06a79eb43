/**
 * Reading the calls of schema builders (Knex, Kysely, Sequelize's queryInterface): their names,
 * literal arguments, option objects and chains. Shared by the facts the rules read
 * (schema-builders.ts) and the embedded database's DDL (database/schema/builder-ddl.ts).
 */
import ts from 'typescript';

export const unwrap = (e: ts.Expression): ts.Expression => {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  return e;
};

/** `a.b.index(…)` → index; `index(…)` → index. */
export function callName(call: ts.CallExpression): string | undefined {
  const c = call.expression;
  return ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : undefined;
}

export function stringArg(e: ts.Expression | undefined): string | undefined {
  const u = e && unwrap(e);
  return u && ts.isStringLiteralLike(u) ? u.text : undefined;
}

export function numberArg(e: ts.Expression | undefined): number | undefined {
  const u = e && unwrap(e);
  return u && ts.isNumericLiteral(u) ? Number(u.text) : undefined;
}

/** `'a'` or `['a', 'b']` → the names. */
export function names(e: ts.Expression | undefined): string[] {
  const u = e && unwrap(e);
  if (!u) return [];
  if (ts.isStringLiteralLike(u)) return [u.text];
  if (ts.isArrayLiteralExpression(u)) return u.elements.map((x) => stringArg(x)).filter((x): x is string => x !== undefined);
  return [];
}

/** An option of an object literal: `{ fields: […] }` → the array. */
export function option(o: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const u = o && unwrap(o);
  if (!u || !ts.isObjectLiteralExpression(u)) return undefined;
  for (const p of u.properties) if (ts.isPropertyAssignment(p) && p.name.getText().replace(/^['"]|['"]$/g, '') === key) return p.initializer;
  return undefined;
}

export const isTrue = (e: ts.Expression | undefined): boolean => !!e && unwrap(e).kind === ts.SyntaxKind.TrueKeyword;
export const isFalse = (e: ts.Expression | undefined): boolean => !!e && unwrap(e).kind === ts.SyntaxKind.FalseKeyword;

/** The calls of a chain, innermost first, from its outermost call. */
export function chainOf(outer: ts.Expression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let cur: ts.Expression = unwrap(outer);
  while (ts.isCallExpression(cur)) {
    calls.unshift(cur);
    if (!ts.isPropertyAccessExpression(cur.expression)) break;
    cur = unwrap(cur.expression.expression);
  }
  return calls;
}

/** The calls that wrap `call` in its chain, innermost first: `.addColumn(…)`, `.execute()` around `createTable('x')`. */
export function stepsAfter(call: ts.CallExpression): ts.CallExpression[] {
  const steps: ts.CallExpression[] = [];
  let cur: ts.CallExpression = call;
  for (;;) {
    const access = cur.parent;
    if (!access || !ts.isPropertyAccessExpression(access) || access.expression !== cur || !ts.isCallExpression(access.parent) || access.parent.expression !== access) return steps;
    cur = access.parent;
    steps.push(cur);
  }
}

/** `queryInterface.addIndex(…)`, not a step of a builder chain (`alterTable('x').addIndex(…)`). */
export function standalone(call: ts.CallExpression): boolean {
  const c = call.expression;
  return !ts.isPropertyAccessExpression(c) || !ts.isCallExpression(unwrap(c.expression));
}

/** `'users.id'` → users (id); `'id'` with `.inTable('users')` → users (id); a bare column alone → undefined. */
export function reference(ref: string | undefined, inTable: string | undefined): { table: string; column: string } | undefined {
  if (!ref) return undefined;
  if (inTable) return { table: inTable, column: ref };
  const dot = ref.lastIndexOf('.');
  return dot > 0 ? { table: ref.slice(0, dot), column: ref.slice(dot + 1) } : undefined;
}

/** A function named `down`: a declaration or method, or the value of a property, variable or export of that name. */
function isDown(fn: ts.SignatureDeclaration): boolean {
  const own = (fn as ts.FunctionLikeDeclaration).name;
  if (own && ts.isIdentifier(own)) return own.text === 'down';
  const p = fn.parent;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) && p.initializer === fn) return ts.isIdentifier(p.name) && p.name.text === 'down';
  return ts.isBinaryExpression(p) && p.right === fn && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left) && p.left.name.text === 'down';
}

/**
 * Whether `node` is in a migration's `down`: what rolls it back (often the tables and keys its `up`
 * dropped), not the schema the migrations build.
 */
export function inRollback(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && isDown(n)) return true;
  return false;
}
