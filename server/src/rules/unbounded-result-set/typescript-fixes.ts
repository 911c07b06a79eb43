/**
 * The paging fix of unbounded-result-set for Prisma reads in a handler: the first page of 100, and
 * the page after the `id` the request names (`?after=`), with Prisma's cursor (`cursor` + `skip: 1`),
 * ordered by `id` when the read has no order of its own. The request object is the handler's own
 * (Express's `req.query`, Fastify's `request.query`, Koa's `ctx.query`, Hono's `c.req.query`); a
 * NestJS route gets an `@Query('after')` parameter.
 */
import ts from 'typescript';
import type { Fix } from '../../engine/finding';
import type { DetectContext } from '../../engine/rule';
import type { UnboundedReadFact } from '../../languages/facts';
import type { TsFacts } from '../../languages/typescript/adapter';
import { addOption } from '../../languages/typescript/edits';
import { findProperty } from '../../languages/typescript/ordering';
import { ROW_CAP } from '../../languages/typescript/result-sets';
import { cursorFor } from '../offset-pagination/typescript-cursor';
import { PRISMA_TS_TYPES } from '../offset-pagination/typescript-fixes';

/** Where a handler of `framework` reads its query string, from its first parameter. */
function requestObject(handler: ts.FunctionLikeDeclaration, framework: string): string | undefined {
  const first = handler.parameters[0]?.name;
  if (!first || !ts.isIdentifier(first)) return undefined;
  switch (framework) {
    case 'express':
    case 'fastify':
    case 'koa':
      return `${first.text}.query`;
    case 'hono':
      return `${first.text}.req.query`;
    default:
      return undefined;
  }
}

/** The handler function itself, when the read is in it (not in a helper it calls). */
function handlerAround(node: ts.Node, r: UnboundedReadFact): ts.FunctionLikeDeclaration | undefined {
  if (r.chain.length > 1) return undefined;
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.getStart() === r.handler.start && n.getEnd() === r.handler.end) return n as ts.FunctionLikeDeclaration;
  }
  return undefined;
}

export function prismaCursorFix(r: UnboundedReadFact, facts: TsFacts, ctx: DetectContext): Fix | undefined {
  const sf = facts.sourceFile;
  if (r.orm !== 'prisma' || !sf) return undefined;
  const q = facts.queries.find((x) => x.start === r.start && x.end === r.end && x.style === 'options');
  const options = q?.call.arguments[0];
  if (!q || (options && !ts.isObjectLiteralExpression(options))) return undefined;
  const handler = handlerAround(q.call, r);
  if (!handler) return undefined;
  const from = requestObject(handler, r.handler.framework);
  if (!from && r.handler.framework !== 'nestjs') return undefined;
  const model = q.model ? q.model[0].toUpperCase() + q.model.slice(1) : undefined;
  const idType = model ? ctx.models?.fieldType(model, 'id', 'prisma') : undefined;
  const isTs = !/\.[mc]?jsx?$/i.test(sf.fileName);
  const cursor = cursorFor(q.call, [{ column: 'id', direction: 'asc' }], from, { isTs, types: [idType && PRISMA_TS_TYPES[idType]], parseRequest: true });
  if (!cursor) return undefined;
  const ordered = options && findProperty(options, 'orderBy');
  const props = [...(ordered ? [] : ["orderBy: { id: 'asc' }"]), `take: ${ROW_CAP}`, `...(${cursor.given[0]} ? { cursor: { id: ${cursor.values[0]} }, skip: 1 } : {})`];
  const edits = addOption(q.call, 0, props.join(', '));
  if (!edits) return undefined;
  return {
    title: `Page it: ${ROW_CAP} rows at a time, after the id the request names (\`?after=\`, Prisma's cursor)`,
    applicability: 'unsafe',
    edits: [...edits, ...cursor.edits].sort((a, b) => a.start - b.start),
  };
}
