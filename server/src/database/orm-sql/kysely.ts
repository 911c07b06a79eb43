/**
 * Kysely select chains → SQL: `db.selectFrom('posts').selectAll().where('author_id', '=', id)
 * .orderBy('created_at', 'desc').limit(…).offset(…).execute()`. Names are the database's, as
 * written. Consecutive where calls are ANDed; an expression-builder callback is refused. Trap:
 * executeTakeFirst() sends no LIMIT.
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { and, literal, Parameters, quotePath, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import { codeValue, oneLine, unwrap } from './typescript-values';

const OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in', 'is', 'is not']);

export function translateKyselyChain(fact: TsQueryFact): OrmTranslation {
  const chain = fact.chain ?? [fact.call];
  const callee = oneLine(fact.callee);
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  const notes: string[] = [];
  const params = new Parameters();
  let from: string | undefined;
  const columns: string[] = [];
  const joins: string[] = [];
  const where: Array<() => string> = [];
  const orderBy: string[] = [];
  let limit: ts.Expression | undefined;
  let offset: ts.Expression | undefined;
  let terminal: string | undefined;

  const name = (e: ts.Expression | undefined, what: string): string => {
    const v = e ? codeValue(e) : undefined;
    return v && 'literal' in v && typeof v.literal === 'string' ? v.literal : fail(`${what} known only at run time is not translated`);
  };

  for (const call of chain) {
    const m = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : fail('not a Kysely chain');
    const args = call.arguments;
    switch (m) {
      case 'selectFrom': {
        const a = args[0] && unwrap(args[0]);
        if (a && ts.isArrayLiteralExpression(a)) fail('selecting from several tables is not translated');
        from = name(args[0], 'a table');
        break;
      }
      case 'selectAll':
        columns.push(args[0] ? `${quotePath(name(args[0], 'a table'))}.*` : '*');
        break;
      case 'select': {
        const a = args[0] && unwrap(args[0]);
        if (!a || ts.isArrowFunction(a) || ts.isFunctionExpression(a)) fail('`.select()` with a callback is not translated');
        const items = ts.isArrayLiteralExpression(a!) ? a.elements : [a!];
        columns.push(...items.map((x) => quotePath(name(x, 'a selection'))));
        break;
      }
      case 'where': {
        if (args.length !== 3) fail('`.where()` other than (column, operator, value) is not translated (expression-builder callbacks are not)');
        const col = name(args[0], 'a column');
        const op = name(args[1], 'an operator').toLowerCase();
        if (!OPERATORS.has(op)) fail(`the operator \`${op}\` is not translated`);
        where.push(() => compare(col, op, args[2]));
        break;
      }
      case 'innerJoin': case 'leftJoin': {
        if (args.length !== 3) fail(`\`.${m}()\` other than (table, column, column) is not translated`);
        joins.push(`${m === 'leftJoin' ? 'LEFT' : 'INNER'} JOIN ${quotePath(name(args[0], 'a joined table'))} ON ${quotePath(name(args[1], 'a join column'))} = ${quotePath(name(args[2], 'a join column'))}`);
        break;
      }
      case 'orderBy': {
        let col = name(args[0], 'an ordering column');
        let dir = args[1] ? name(args[1], 'an ordering direction') : 'asc';
        const spaced = /^(\S+)\s+(asc|desc)$/i.exec(col);
        if (spaced && !args[1]) [col, dir] = [spaced[1], spaced[2]];
        if (!/^(asc|desc)$/i.test(dir)) fail(`the direction \`${dir}\` is not translated`);
        orderBy.push(`${quotePath(col)} ${dir.toUpperCase()}`);
        break;
      }
      case 'limit':
        limit = args[0];
        break;
      case 'offset':
        offset = args[0];
        break;
      case 'execute': case 'executeTakeFirst': case 'executeTakeFirstOrThrow':
        terminal = m;
        break;
      default:
        fail(`\`.${m}()\` is not translated`);
    }
  }
  if (!from) fail('the chain has no selectFrom(…)');
  if (columns.length === 0) fail('the chain selects no columns (select/selectAll)');
  if (terminal?.startsWith('executeTakeFirst') && !limit) notes.push(`${terminal}() sends no LIMIT: every matching row is read and the first one kept; add .limit(1)`);
  const whereSql = where.map((w) => w());
  const sql = renderSelect({ columns, from: quotePath(from!), joins, where: whereSql.length > 0 ? [and(whereSql)] : [], orderBy, limit: limit ? valueSql(codeValue(limit), params) : undefined, offset: offset ? valueSql(codeValue(offset), params) : undefined });
  return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };

  function compare(col: string, op: string, v: ts.Expression): string {
    const e = unwrap(v);
    const target = quotePath(col);
    if (op === 'in' || op === 'not in') {
      if (ts.isArrayLiteralExpression(e)) {
        if (e.elements.some(ts.isSpreadElement)) fail('a spread in an IN list is not translated');
        if (e.elements.length === 0) fail('an empty IN list (Kysely sends invalid SQL `in ()`) is not translated');
        return `${target} ${op.toUpperCase()} (${e.elements.map((x) => valueSql(codeValue(x), params)).join(', ')})`;
      }
      const p = params.add(oneLine(v.getText()));
      notes.push(`${p} is the whole list: Kysely sends in ($1, $2, …) with one parameter per element`);
      return op === 'in' ? `${target} = ANY(${p})` : `${target} <> ALL(${p})`;
    }
    const cv = codeValue(e);
    if (op === 'is' || op === 'is not') {
      if (!('literal' in cv) || (cv.literal !== null && typeof cv.literal !== 'boolean')) fail(`\`${op}\` with a value other than null, true or false is not translated`);
      return `${target} ${op.toUpperCase()} ${literal((cv as { literal: null | boolean }).literal).toUpperCase()}`;
    }
    if ('literal' in cv && cv.literal === null) notes.push(`\`${col} ${op} null\` matches no row in SQL; use 'is' / 'is not'`);
    return `${target} ${op.toUpperCase()} ${valueSql(cv, params)}`;
  }
}
