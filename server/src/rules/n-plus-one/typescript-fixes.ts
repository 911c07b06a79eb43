/**
 * Hoisting a Prisma per-item lookup into one query before the loop, and a map lookup in the loop.
 * Unsafe: the rows are read once, before the loop's own writes, and missing rows become `null`
 * (as `findUnique` returns) — an honest rewrite, not an invisible one.
 */
import ts from 'typescript';
import type { Fix } from '../../engine/finding';
import { findProperty, propertyName, propertyValue } from '../../languages/typescript/ordering';
import type { TsQueryFact } from '../../languages/typescript/queries';

/** The hoisted query is awaited where the loop statement is: that function must be async. */
function loopIsInAsyncFunction(call: ts.Node, loopStart: number): boolean {
  let loopNode: ts.Node = call;
  while (loopNode.parent && !(loopNode.getStart() === loopStart && !ts.isExpressionStatement(loopNode.parent))) loopNode = loopNode.parent;
  for (let n = loopNode.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
  }
  return false;
}

function mentionsOnly(expr: ts.Node, allowed: ReadonlySet<string>): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isName && !allowed.has(n.text)) ok = false;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return ok;
}

export function prismaBatchFix(q: TsQueryFact, sf: ts.SourceFile): Fix | undefined {
  const loop = q.loop!;
  if (!/^(findUnique|findUniqueOrThrow|findFirst)$/.test(q.operation) || loop.variables.length === 0 || !loop.iterable) return undefined;
  if (loop.kind !== 'for-of' && loop.kind !== 'callback') return undefined;
  const options = q.options;
  if (!options || q.call.arguments.length !== 1) return undefined;
  // Only `{ where: { field: <item expression> } }`, optionally with include/select kept as is.
  if (options.properties.some((p) => !['where', 'include'].includes(propertyName(p) ?? ''))) return undefined;
  const where = propertyValue(findProperty(options, 'where'));
  if (!where || !ts.isObjectLiteralExpression(where) || where.properties.length !== 1) return undefined;
  const field = propertyName(where.properties[0]);
  const keyExpr = propertyValue(where.properties[0]);
  if (!field || !/^\w+$/.test(field) || !keyExpr) return undefined;
  const item = loop.variables[0];
  // The key must be computable before the loop, from the item alone.
  if (!mentionsOnly(keyExpr, new Set([item]))) return undefined;
  if (!loopIsInAsyncFunction(q.call, loop.start)) return undefined;
  const receiver = (q.call.expression as ts.PropertyAccessExpression).expression.getText();
  const model = q.model ?? 'row';
  const mapName = `${model}By${field[0].toUpperCase()}${field.slice(1)}`;
  const include = findProperty(options, 'include');
  const indent = /^[ \t]*/.exec(sf.text.slice(loop.statementStart))![0];
  const keyText = keyExpr.getText();
  const keys = keyText === item ? loop.iterable : `${loop.iterable}.map((${item}) => ${keyText})`;
  const hoisted =
    `${indent}const ${mapName} = new Map(\n` +
    `${indent}  (await ${receiver}.findMany({ where: { ${field}: { in: ${keys} } }${include ? `, ${include.getText()}` : ''} })).map((row) => [row.${field}, row]),\n` +
    `${indent});\n`;
  const awaited = ts.isAwaitExpression(q.call.parent) ? q.call.parent : q.call;
  const orThrow = q.operation === 'findUniqueOrThrow';
  const lookup = orThrow ? `${mapName}.get(${keyText})!` : `(${mapName}.get(${keyText}) ?? null)`;
  return {
    title: `Load all ${model} rows with one findMany before the loop`,
    applicability: 'unsafe',
    edits: [
      { start: loop.statementStart, end: loop.statementStart, newText: hoisted },
      { start: awaited.getStart(), end: awaited.getEnd(), newText: lookup },
    ],
  };
}
