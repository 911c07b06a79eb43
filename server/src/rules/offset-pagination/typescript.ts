/** offset-pagination in JS/TS: ORM options (`skip`, `offset`) and builder `.offset()`/`.skip()`, plus SQL in strings. */
import ts from 'typescript';
import type { Detection, Edit } from '../../engine/finding';
import type { Detector } from '../../engine/rule';
import type { OrderKey, SqlStatementFact } from '../../languages/facts';
import type { TsFacts } from '../../languages/typescript/adapter';
import { isGrowingOffset, keysetKeys, offsetMessage } from './keyset';
import { valueFact } from '../../languages/typescript/values';
import { detectSqlStatements, type BoundParams, type HostCursor } from './sql';
import { cursorFor } from './typescript-cursor';
import { keysetFix } from './typescript-fixes';

export const detectTypescript: Detector<TsFacts> = (facts, ctx) => {
  const out: Detection[] = [];
  for (const q of facts.queries) {
    const p = q.pagination;
    if (!p || !isGrowingOffset(p)) continue;
    // Mongoose documents are keyed by _id; every other ORM here by id.
    const keys = keysetKeys(p.orderBy, q.orm === 'mongoose' ? '_id' : 'id');
    // Prisma users add indexes in schema.prisma, on the model (the delegate `post` is model `Post`).
    const model = q.orm === 'prisma' && q.model ? q.model[0].toUpperCase() + q.model.slice(1) : q.model;
    const cols = keys.map((k) => k.column);
    const index =
      q.orm === 'prisma'
        ? `\`@@index([${cols.join(', ')}])\` on model ${model} in schema.prisma`
        : q.orm === 'typeorm' || q.orm === 'mikro-orm'
          ? `\`@Index([${cols.map((c) => `'${c}'`).join(', ')}])\` on the ${model && !/^(this|repo)/.test(model) ? `${model} ` : ''}entity`
          : q.orm === 'mongoose'
            ? `\`schema.index({ ${keys.map((k) => `${k.column}: ${k.direction === 'desc' ? -1 : 1}`).join(', ')} })\``
            : undefined;
    const existing = q.orm === 'prisma' && model ? ctx.models?.indexOn(model, cols, 'prisma') : undefined;
    const message = offsetMessage({ query: q.callee, offset: p.offset.text, table: model, keys, index, existing });
    const fix = facts.sourceFile ? keysetFix(q, keys, facts.sourceFile) : undefined;
    out.push({ start: p.offsetSpan.start, end: p.offsetSpan.end, message, fixes: fix ? [fix] : [] });
  }
  out.push(...detectSqlStatements(facts.sql, ctx, facts.sourceFile ? templateCursor(facts.sourceFile) : undefined));
  return out;
};

/**
 * The keyset cursor of SQL in code, the way the ORM fixes get theirs: read from the request the
 * offset came from (`${offset}` with `const offset = Number(req.query.offset)` gives
 * `${req.query.afterCreatedAt}`), or else new optional parameters of the enclosing function. In a
 * tagged template the values are interpolated; a call that binds them (`pool.query(sql, [a, b])`,
 * an array written out, as long as the statement's placeholders) gets its array rewritten.
 */
function templateCursor(sf: ts.SourceFile): HostCursor {
  const isTs = !/\.[mc]?jsx?$/i.test(sf.fileName);
  return (statement, keys, bound) => {
    if (bound) return boundCursor(sf, statement, keys, bound, isTs);
    const offset = statement.pagination?.offset;
    // The offset's span may start at the interpolation's `${`.
    const span = offset ? templateSpanAt(sf, sf.text.startsWith('${', offset.start) ? offset.start + 2 : offset.start) : undefined;
    if (!span) return undefined;
    return cursorFor(span.expression, keys, valueFact(span.expression).requestObject, isTs);
  };
}

function boundCursor(sf: ts.SourceFile, statement: SqlStatementFact, keys: readonly OrderKey[], bound: BoundParams, isTs: boolean): { values: string[]; edits: Edit[] } | undefined {
  const literal = innermostAt(sf, statement.start, (n) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
  const call = literal?.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== literal) return undefined;
  const list = call.arguments[1];
  if (!list || !ts.isArrayLiteralExpression(list) || list.elements.length !== bound.oldCount || list.elements.some(ts.isSpreadElement)) return undefined;
  const elements = list.elements;
  const from = bound.dropped.map((k) => valueFact(elements[k]).requestObject).find((r) => r !== undefined);
  const cursor = cursorFor(call, keys, from, isTs);
  if (!cursor) return undefined;
  const newText = bound.plan.map((e) => ('old' in e ? elements[e.old].getText() : cursor.values[e.cursor])).join(', ');
  return { values: cursor.values, edits: [...cursor.edits, { start: list.getStart() + 1, end: list.getEnd() - 1, newText }] };
}

/** The innermost `${…}` of a template literal that holds `pos`. */
function templateSpanAt(sf: ts.SourceFile, pos: number): ts.TemplateSpan | undefined {
  return innermostAt(sf, pos, (n): n is ts.TemplateSpan => ts.isTemplateSpan(n) && pos >= n.expression.pos && pos <= n.expression.end);
}

/** The innermost node holding `pos` that passes `test` (a loop, not recursion: nesting may be deep). */
function innermostAt<T extends ts.Node>(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => n is T): T | undefined;
function innermostAt(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => boolean): ts.Node | undefined;
function innermostAt(sf: ts.SourceFile, pos: number, test: (n: ts.Node) => boolean): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let n: ts.Node | undefined = sf; n; ) {
    if (test(n)) found = n;
    n = ts.forEachChild(n, (c) => (pos >= c.pos && pos < c.end ? c : undefined));
  }
  return found;
}
