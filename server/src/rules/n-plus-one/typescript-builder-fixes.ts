/**
 * Batched forms of per-item lookups written with query builders and MikroORM's EntityManager:
 * Knex `db('users').where({ id }).first()` → `whereIn`, Kysely `.where('id', '=', k)` → `'in'`,
 * Drizzle `eq(users.id, k)` → `inArray`, MikroORM `em.findOne(User, k)` → `em.find(User, { id: { $in } })`.
 * Each plan says what the per-item call returned for a missing row (null, undefined, an empty
 * list), so the map lookup that replaces it returns the same.
 */
import ts from 'typescript';
import type { Edit } from '../../engine/finding';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { ensureImport } from '../../languages/typescript/edits';
import { propertyName, propertyValue } from '../../languages/typescript/ordering';

export interface BuilderBatch {
  /** The one query for all keys (`keys` is an identifier holding them). */
  query: (keys: string) => string;
  method: string;
  /** The row property the rows are matched back by. */
  field: string;
  key: ts.Expression;
  /** The per-item call returned a list (Drizzle `select`): rows are grouped per key. */
  grouped: boolean;
  /** What the per-item call gave for a missing row. */
  missing: 'null' | 'undefined' | 'throw';
  /** The expression the map lookup replaces (the whole chain). */
  replace: ts.Node;
  imports: (sf: ts.SourceFile) => Edit[];
  /** The model, when the query names it better than the fact (`em.findOne(User, …)`). */
  model?: string;
  /** `IN ()` is invalid SQL for this builder: skip the query when there are no keys. */
  guardEmpty: boolean;
}

function methodOf(call: ts.CallExpression): string | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : undefined;
}

function stringArg(e: ts.Expression | undefined): string | undefined {
  return e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined;
}

/** `{ id: key }` with one property, or `('id', key)`: the column and the key. */
function whereArgs(args: readonly ts.Expression[]): { column: string; key: ts.Expression } | undefined {
  if (args.length === 1 && ts.isObjectLiteralExpression(args[0]) && args[0].properties.length === 1) {
    const column = propertyName(args[0].properties[0]);
    const key = propertyValue(args[0].properties[0]);
    return column && key && /^\w+$/.test(column) ? { column, key } : undefined;
  }
  const column = stringArg(args[0]);
  if (args.length === 2 && column && /^\w+$/.test(column)) return { column, key: args[1] };
  return undefined;
}

/** Text of a chain up to (not including) the call at `index`, and with `replacement` for it. */
function chainText(chain: readonly ts.CallExpression[], index: number, replacement: string): string {
  const before = chain[index - 1];
  return `${before.getText()}.${replacement}`;
}

function knex(q: TsQueryFact): BuilderBatch | undefined {
  const chain = q.chain!;
  // db('users').where(…).first()
  if (chain.length !== 3 || methodOf(chain[1]) !== 'where' || methodOf(chain[2]) !== 'first' || chain[2].arguments.length > 0) return undefined;
  const w = whereArgs(chain[1].arguments);
  if (!w) return undefined;
  return {
    query: (keys) => chainText(chain, 1, `whereIn('${w.column}', ${keys})`),
    method: 'whereIn', field: w.column, key: w.key, grouped: false, missing: 'undefined', replace: chain[2], imports: () => [], guardEmpty: false,
  };
}

function kysely(q: TsQueryFact): BuilderBatch | undefined {
  const chain = q.chain!;
  const last = chain[chain.length - 1];
  const terminal = methodOf(last);
  const whereAt = chain.findIndex((c) => methodOf(c) === 'where');
  if (whereAt < 0 || whereAt !== chain.length - 2 || !/^(executeTakeFirst|execute)$/.test(terminal ?? '')) return undefined;
  const [col, op, key] = chain[whereAt].arguments;
  const column = stringArg(col);
  if (!column || stringArg(op) !== '=' || !key || chain[whereAt].arguments.length !== 3) return undefined;
  const field = column.split('.').pop()!;
  return {
    query: (keys) => `${chainText(chain, whereAt, `where('${column}', 'in', ${keys})`)}.execute()`,
    method: "where … 'in'", field, key, grouped: terminal === 'execute', missing: 'undefined', replace: last, imports: () => [], guardEmpty: true,
  };
}

/** `eq(users.id, key)`: the table, the column property and the key. */
function eqArgs(e: ts.Expression | undefined): { column: ts.PropertyAccessExpression; key: ts.Expression } | undefined {
  if (!e || !ts.isCallExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'eq' || e.arguments.length !== 2) return undefined;
  const [column, key] = e.arguments;
  return ts.isPropertyAccessExpression(column) ? { column, key } : undefined;
}

function drizzle(q: TsQueryFact): BuilderBatch | undefined {
  const imports = (sf: ts.SourceFile) => ensureImport(sf, 'drizzle-orm', ['inArray']);
  const call = q.call;
  // db.query.users.findFirst({ where: eq(users.id, key) })
  if (q.style === 'options' && methodOf(call) === 'findFirst' && call.arguments.length === 1 && ts.isObjectLiteralExpression(call.arguments[0])) {
    const opts = call.arguments[0];
    if (opts.properties.length !== 1 || propertyName(opts.properties[0]) !== 'where') return undefined;
    const w = eqArgs(propertyValue(opts.properties[0]));
    if (!w) return undefined;
    const receiver = (call.expression as ts.PropertyAccessExpression).expression.getText();
    return {
      query: (keys) => `${receiver}.findMany({ where: inArray(${w.column.getText()}, ${keys}) })`,
      method: 'findMany', field: w.column.name.text, key: w.key, grouped: false, missing: 'undefined', replace: call, imports, guardEmpty: true,
    };
  }
  const chain = q.chain;
  // db.select().from(users).where(eq(users.id, key))
  if (!chain || chain.length !== 3 || methodOf(chain[1]) !== 'from' || methodOf(chain[2]) !== 'where') return undefined;
  const w = eqArgs(chain[2].arguments[0]);
  if (!w || chain[2].arguments.length !== 1) return undefined;
  return {
    query: (keys) => chainText(chain, 2, `where(inArray(${w.column.getText()}, ${keys}))`),
    method: 'inArray', field: w.column.name.text, key: w.key, grouped: true, missing: 'undefined', replace: chain[2], imports, guardEmpty: true,
  };
}

function mikroOrm(q: TsQueryFact): BuilderBatch | undefined {
  const call = q.call;
  const method = methodOf(call);
  if (!/^(findOne|findOneOrFail)$/.test(method ?? '') || call.arguments.length !== 2) return undefined;
  const [entity, where] = call.arguments;
  if (!ts.isIdentifier(entity)) return undefined;
  let field = 'id';
  let key: ts.Expression = where;
  if (ts.isObjectLiteralExpression(where)) {
    const w = whereArgs([where]);
    if (!w) return undefined;
    field = w.column;
    key = w.key;
  }
  const receiver = (call.expression as ts.PropertyAccessExpression).expression.getText();
  return {
    query: (keys) => `${receiver}.find(${entity.text}, { ${field}: { $in: ${keys} } })`,
    method: 'find', field, key, grouped: false, missing: method === 'findOne' ? 'null' : 'throw', replace: call, imports: () => [], guardEmpty: false, model: entity.text,
  };
}

export function builderBatch(q: TsQueryFact): BuilderBatch | undefined {
  if (q.orm === 'knex' && q.chain) return knex(q);
  if (q.orm === 'kysely' && q.chain) return kysely(q);
  if (q.orm === 'drizzle') return drizzle(q);
  if (q.orm === 'mikro-orm') return mikroOrm(q);
  return undefined;
}
