/**
 * What a Prisma query filters by: the top level of its `where` object (`{ email }`, `{ status:
 * 'DRAFT', createdAt: { gte: since } }`), as FilterFact. `AND`/`OR`/`NOT`, spreads and filters
 * through relations (`{ author: { is: … } }`) make it incomplete.
 */
import ts from 'typescript';
import type { FilterFact } from '../facts';

type Op = FilterFact['fields'][number]['op'];

const OPERATORS: Record<string, Op> = { equals: 'eq', in: 'in', lt: 'range', lte: 'range', gt: 'range', gte: 'range' };
/** Relation filters (`some`, `is`…): the condition is on another table. */
const RELATION_FILTER = /^(some|every|none|is|isNot)$/;

function keyName(p: ts.ObjectLiteralElementLike): string | undefined {
  const name = p.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/** How one field's value compares it; undefined when it is a relation's filter. */
function opOf(value: ts.Expression): Op | undefined {
  let v = value;
  while (ts.isParenthesizedExpression(v) || ts.isAsExpression(v) || ts.isSatisfiesExpression(v)) v = v.expression;
  if (v.kind === ts.SyntaxKind.NullKeyword) return 'other';
  if (!ts.isObjectLiteralExpression(v)) return 'eq';
  const keys = v.properties.map(keyName);
  if (keys.some((k) => k === undefined || RELATION_FILTER.test(k))) return undefined;
  // `{ contains: q, mode: 'insensitive' }`, `{ not: x }`: no plain index serves them.
  if (keys.some((k) => !(k! in OPERATORS))) return 'other';
  const ops = keys.map((k) => OPERATORS[k!]);
  return ops.includes('range') ? 'range' : ops.includes('in') ? 'in' : ops[0] ?? 'other';
}

export function prismaFilter(where: ts.Expression | undefined): FilterFact | undefined {
  if (!where || !ts.isObjectLiteralExpression(where)) return undefined;
  const out: FilterFact = { fields: [], complete: true };
  for (const p of where.properties) {
    const name = keyName(p);
    if (!name || /^(AND|OR|NOT)$/.test(name) || !(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) {
      out.complete = false;
      continue;
    }
    const op = ts.isPropertyAssignment(p) ? opOf(p.initializer) : 'eq';
    if (!op) {
      out.complete = false;
      continue;
    }
    out.fields.push({ name, op, start: p.name.getStart(), end: p.name.getEnd() });
  }
  return out.fields.length ? out : undefined;
}
