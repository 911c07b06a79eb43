/** ORDER BY keys and keyset filters as each ORM writes them, read from the syntax tree. */
import ts from 'typescript';
import type { OrderKey } from '../facts';
import { walk } from './walk';

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** `post.createdAt`, `"p"."created_at"`, `posts.id` → the column name without its qualifier. */
export function columnName(text: string): string {
  const parts = text.replace(/["`\[\]]/g, '').split('.');
  return parts[parts.length - 1].trim();
}

export function propertyName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) return p.name.text;
  if (ts.isComputedPropertyName(p.name)) return p.name.expression.getText();
  return undefined;
}

export function findProperty(obj: ts.ObjectLiteralExpression, ...names: string[]): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => {
    const n = propertyName(p);
    return n !== undefined && names.includes(n);
  });
}

export function propertyValue(p: ts.ObjectLiteralElementLike | undefined): ts.Expression | undefined {
  if (!p) return undefined;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

function direction(e: ts.Expression | undefined): 'asc' | 'desc' {
  if (!e) return 'asc';
  const t = unwrap(e).getText().replace(/['"`]/g, '').toLowerCase();
  return /(^|\.)desc(ending)?$|^-1$/.test(t) ? 'desc' : 'asc';
}

/** `{ createdAt: 'desc' }` (Prisma, MikroORM, TypeORM `order`), `{ createdAt: -1 }` (Mongoose). */
function keysFromObject(obj: ts.ObjectLiteralExpression): OrderKey[] {
  const keys: OrderKey[] = [];
  for (const p of obj.properties) {
    const name = propertyName(p);
    const value = propertyValue(p);
    if (!name || !value) continue;
    // Ordering by a relation's field (`{ author: { name: 'asc' } }`) is not a column of this table.
    if (ts.isObjectLiteralExpression(unwrap(value))) {
      const inner = unwrap(value) as ts.ObjectLiteralExpression;
      const sort = findProperty(inner, 'sort', 'direction', 'order');
      if (sort) keys.push({ column: name, direction: direction(propertyValue(sort)) });
      continue;
    }
    keys.push({ column: columnName(name), direction: direction(value) });
  }
  return keys;
}

/** One element of an `order`/`orderBy` array or argument list. */
function keysFromElement(e: ts.Expression): OrderKey[] {
  e = unwrap(e);
  if (ts.isObjectLiteralExpression(e)) {
    // Knex `{ column: 'a', order: 'desc' }`
    const column = propertyValue(findProperty(e, 'column'));
    if (column && ts.isStringLiteralLike(column)) return [{ column: columnName(column.text), direction: direction(propertyValue(findProperty(e, 'order'))) }];
    return keysFromObject(e);
  }
  if (ts.isArrayLiteralExpression(e)) {
    // Sequelize `['createdAt', 'DESC']`
    const [col, dir] = e.elements;
    if (col && ts.isStringLiteralLike(col)) return [{ column: columnName(col.text), direction: direction(dir) }];
    return [];
  }
  if (ts.isStringLiteralLike(e)) {
    // Kysely 'created_at desc', Mongoose '-createdAt name', plain 'id'
    return e.text.split(/\s*,\s*|\s+(?=-)/).flatMap((part): OrderKey[] => {
      const m = /^(-)?([\w."]+)(?:\s+(asc|desc))?$/i.exec(part.trim());
      if (!m) return [];
      return [{ column: columnName(m[2]), direction: m[1] || m[3]?.toLowerCase() === 'desc' ? 'desc' : 'asc' }];
    });
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(asc|desc)$/.test(e.expression.text) && e.arguments[0]) {
    // Drizzle desc(posts.createdAt)
    return [{ column: columnName(e.arguments[0].getText()), direction: e.expression.text as 'asc' | 'desc' }];
  }
  if (ts.isPropertyAccessExpression(e)) return [{ column: columnName(e.getText()), direction: 'asc' }];
  return [];
}

/** The value of an `orderBy`/`order`/`sort` option. */
export function orderKeysFromOption(value: ts.Expression): OrderKey[] {
  const v = unwrap(value);
  if (ts.isArrayLiteralExpression(v)) {
    // Sequelize's single pair `order: ['createdAt', 'DESC']` vs a list of orderings.
    if (v.elements.length === 2 && v.elements.every(ts.isStringLiteralLike) && /^(asc|desc)$/i.test((v.elements[1] as ts.StringLiteral).text)) {
      return keysFromElement(v);
    }
    return v.elements.flatMap((el) => keysFromElement(el));
  }
  return keysFromElement(v);
}

/**
 * The column of a name built from the alias: `${alias}.rank`, and `"".concat(alias, ".rank")` (the
 * same compiled to ES5) → `rank`.
 */
function builtColumn(e: ts.Expression): string | undefined {
  e = unwrap(e);
  let tail: string | undefined;
  if (ts.isTemplateExpression(e)) tail = e.templateSpans[e.templateSpans.length - 1]?.literal.text;
  else if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'concat') {
    const last = e.arguments[e.arguments.length - 1];
    tail = last && ts.isStringLiteralLike(last) ? last.text : undefined;
  }
  const m = tail === undefined ? null : /^\.([A-Za-z_]\w*)$/.exec(tail);
  return m?.[1];
}

/** The arguments of `.orderBy(…)`, `.addOrderBy(…)`, `.sort(…)` in a builder chain. */
export function orderKeysFromCall(method: string, args: readonly ts.Expression[]): OrderKey[] {
  if (args.length === 0) return [];
  const [first, second] = args;
  if ((method === 'orderBy' || method === 'addOrderBy') && second && (ts.isStringLiteralLike(second) || ts.isPropertyAccessExpression(second))) {
    // TypeORM's `addOrderBy(column, 'ASC')`: the second is the direction, never a column.
    const column = ts.isStringLiteralLike(first) ? first.text : builtColumn(first);
    return column ? [{ column: columnName(column), direction: direction(second) }] : [];
  }
  if (method === 'sort') return keysFromElement(first);
  return args.flatMap((a) => keysFromElement(a));
}

const COMPARISON_KEYS = /^(gt|gte|lt|lte|\$gt|\$gte|\$lt|\$lte|Op\.gt|Op\.gte|Op\.lt|Op\.lte|\[Op\.(gt|gte|lt|lte)\])$/;
const TYPEORM_COMPARISONS = /^(LessThan|MoreThan|LessThanOrEqual|MoreThanOrEqual)$/;
const SQL_COMPARISON = /(?:^|[\s(,.])"?(\w+)"?\s*\)?\s*[<>]=?\s*(?:\(|[:$?@]|\w)/g;

/** Does a `where`-like value compare one of `columns` with < or >? (keyset pagination already) */
export function hasComparisonOn(node: ts.Node, columns: ReadonlySet<string>): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        const name = propertyName(p);
        const value = propertyValue(p);
        if (name && value && columns.has(columnName(name))) {
          const v = unwrap(value);
          if (ts.isObjectLiteralExpression(v) && v.properties.some((q) => COMPARISON_KEYS.test(propertyName(q) ?? ''))) found = true;
          if (ts.isCallExpression(v) && ts.isIdentifier(v.expression) && TYPEORM_COMPARISONS.test(v.expression.text)) found = true;
        }
      }
    }
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      // Drizzle gt(posts.id, x); Kysely/Knex where('id', '>', x); Mongoose .where('_id').lt(x)
      if (/^(gt|gte|lt|lte)$/.test(name) && n.arguments[0] && columns.has(columnName(n.arguments[0].getText()))) found = true;
      const [a, op] = n.arguments;
      if (a && op && ts.isStringLiteralLike(a) && ts.isStringLiteralLike(op) && /^[<>]=?$/.test(op.text) && columns.has(columnName(a.text))) found = true;
      if (ts.isPropertyAccessExpression(callee) && /^(gt|gte|lt|lte)$/.test(callee.name.text)) {
        const inner = callee.expression;
        if (ts.isCallExpression(inner) && inner.arguments[0] && ts.isStringLiteralLike(inner.arguments[0]) && columns.has(columnName(inner.arguments[0].text))) found = true;
      }
    }
    if (ts.isStringLiteralLike(n) || ts.isTemplateExpression(n)) {
      for (const m of n.getText().matchAll(SQL_COMPARISON)) if (columns.has(m[1])) found = true;
    }
  });
  return found;
}
