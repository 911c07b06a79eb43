/**
 * Knex builder chains → SQL: `knex('posts').where(…).whereIn(…).orderBy(…).limit(…).offset(…)`
 * with `.select(…)`, `.first(…)` or `.count(…)`. Knex has no models: tables and columns are the
 * names written in the chain. Conditions follow the chain's order with AND/OR and no brackets, as
 * Knex writes them; a callback (grouped conditions) or raw SQL is refused.
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { literal, Parameters, quoteName, quotePath, renderInsert, renderSelect, valueSql, type CodeValue } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import { codeValue, objectEntries, oneLine, unwrap } from './typescript-values';

const OPERATORS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', 'like', 'ilike', 'not like', 'not ilike']);

export function translateKnexChain(fact: TsQueryFact): OrmTranslation {
  const chain = fact.chain ?? [fact.call];
  const callee = oneLine(fact.callee);
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  const notes: string[] = [];
  const params = new Parameters();
  let from: string | undefined;
  let columns: string[] = [];
  const joins: string[] = [];
  // Conditions keep their chain order; values become placeholders only once the text is in order.
  const where: Array<{ or: boolean; build: () => string }> = [];
  const orderBy: Array<() => string> = [];
  let limit: ts.Expression | '1' | undefined;
  let offset: ts.Expression | undefined;
  let count: string | undefined;
  let write: 'update' | 'delete' | 'insert' | undefined;
  /** Assignments, built in text order (before the conditions' placeholders). */
  const set: Array<() => string> = [];
  const rows: Array<Map<string, ts.Expression>> = [];
  const returning: string[] = [];
  let conflict: { columns: string[]; action?: () => string } | undefined;

  const name = (e: ts.Expression | undefined, what: string): string => {
    const v = e ? codeValue(e) : undefined;
    return v && 'literal' in v && typeof v.literal === 'string' ? v.literal : fail(`${what} known only at run time is not translated`);
  };
  const names = (args: readonly ts.Expression[]): string[] => args.flatMap((a) => {
    const e = unwrap(a);
    return ts.isArrayLiteralExpression(e) ? e.elements.map((x) => name(x, 'a column')) : [name(e, 'a column')];
  });

  for (const [i, call] of chain.entries()) {
    const args = call.arguments;
    // The root: `knex('posts')`, `trx('posts as p')`.
    if (i === 0 && ts.isIdentifier(call.expression)) {
      from = name(args[0], 'a table');
      continue;
    }
    const m = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : fail('not a Knex chain');
    switch (m) {
      case 'select': case 'column': case 'columns':
        columns.push(...names(args).map(quotePath));
        break;
      case 'from': case 'table':
        from = name(args[0], 'a table');
        break;
      case 'where': case 'andWhere': case 'orWhere': case 'whereNot': case 'orWhereNot': {
        const or = m.startsWith('or');
        const negate = /Not$/.test(m);
        const first = args[0] && unwrap(args[0]);
        if (!first || ts.isArrowFunction(first) || ts.isFunctionExpression(first)) fail(`\`.${m}()\` with a callback (grouped conditions) is not translated`);
        if (ts.isObjectLiteralExpression(first!)) {
          const entries = objectEntries(first!, '`where`', notes, fail);
          // Knex writes each key as its own condition (NOT on each for whereNot); an orWhere object is one bracketed group.
          where.push({ or, build: () => {
            const conds = [...entries].map(([k, v]) => wrapNot(negate, compare(k, '=', v))).join(' AND ');
            return or && entries.size > 1 ? `(${conds})` : conds;
          } });
        } else if (args.length === 2) where.push({ or, build: () => wrapNot(negate, compare(name(args[0], 'a column'), '=', args[1])) });
        else if (args.length === 3) {
          const op = name(args[1], 'an operator').toLowerCase();
          if (!OPERATORS.has(op) && op !== 'in' && op !== 'not in' && op !== 'is' && op !== 'is not') fail(`the operator \`${op}\` is not translated`);
          where.push({ or, build: () => wrapNot(negate, compare(name(args[0], 'a column'), op, args[2])) });
        } else fail(`\`.${m}()\` with ${args.length} arguments is not translated`);
        break;
      }
      case 'whereIn': case 'orWhereIn': case 'whereNotIn': case 'orWhereNotIn':
        where.push({ or: m.startsWith('or'), build: () => inList(name(args[0], 'a column'), args[1], /Not/.test(m)) });
        break;
      case 'whereNull': case 'orWhereNull': case 'whereNotNull': case 'orWhereNotNull':
        where.push({ or: m.startsWith('or'), build: () => `${quotePath(name(args[0], 'a column'))} IS ${/Not/.test(m) ? 'NOT ' : ''}NULL` });
        break;
      case 'whereBetween': case 'whereNotBetween': {
        const pair = args[1] && unwrap(args[1]);
        if (!pair || !ts.isArrayLiteralExpression(pair) || pair.elements.length !== 2) fail(`\`.${m}()\` without a [from, to] pair written out is not translated`);
        const [lo, hi] = (pair as ts.ArrayLiteralExpression).elements;
        where.push({ or: false, build: () => `${quotePath(name(args[0], 'a column'))} ${m === 'whereNotBetween' ? 'NOT ' : ''}BETWEEN ${value(lo)} AND ${value(hi)}` });
        break;
      }
      case 'whereLike': case 'whereILike':
        where.push({ or: false, build: () => `${quotePath(name(args[0], 'a column'))} ${m === 'whereILike' ? 'ILIKE' : 'LIKE'} ${value(args[1])}` });
        break;
      case 'orderBy': {
        const first = args[0] && unwrap(args[0]);
        if (first && ts.isArrayLiteralExpression(first)) {
          for (const item of first.elements) {
            const e = unwrap(item);
            if (ts.isObjectLiteralExpression(e)) {
              const o = objectEntries(e, '`orderBy`', notes, fail);
              const col = name(o.get('column'), 'an ordering column');
              const dir = o.get('order') ? name(o.get('order'), 'an ordering direction') : 'asc';
              orderBy.push(() => order(col, dir));
            } else {
              const col = name(e, 'an ordering column');
              orderBy.push(() => order(col, 'asc'));
            }
          }
        } else {
          const col = name(args[0], 'an ordering column');
          const dir = args[1] ? name(args[1], 'an ordering direction') : 'asc';
          const nulls = args[2] ? name(args[2], 'a nulls ordering') : undefined;
          orderBy.push(() => `${order(col, dir)}${nulls ? ` NULLS ${nulls.toUpperCase()}` : ''}`);
        }
        break;
      }
      case 'limit':
        limit = args[0];
        break;
      case 'offset':
        offset = args[0];
        break;
      case 'first':
        columns.push(...names(args).map(quotePath));
        limit = '1';
        break;
      case 'count': {
        const [col] = args.length > 0 ? names(args) : ['*'];
        const m2 = /^(.+?)\s+as\s+(\w+)$/i.exec(col);
        count = m2 ? `count(${quotePath(m2[1])}) AS ${quotePath(m2[2])}` : `count(${quotePath(col)})`;
        break;
      }
      case 'join': case 'innerJoin': case 'leftJoin': case 'leftOuterJoin': {
        if (args.length !== 3 && args.length !== 4) fail(`\`.${m}()\` other than (table, column, column) or (table, column, operator, column) is not translated`);
        const table = name(args[0], 'a joined table');
        const left = name(args[1], 'a join column');
        const op = args.length === 4 ? name(args[2], 'a join operator') : '=';
        const right = name(args[args.length - 1], 'a join column');
        joins.push(`${m.startsWith('left') ? 'LEFT' : 'INNER'} JOIN ${quotePath(table)} ON ${quotePath(left)} ${op} ${quotePath(right)}`);
        break;
      }
      case 'update': {
        write = 'update';
        if (args.length >= 2 && !ts.isArrayLiteralExpression(unwrap(args[1]))) {
          const col = name(args[0], 'a column');
          set.push(() => `${quoteName(col)} = ${value(args[1])}`);
        } else {
          for (const [k, v] of objectEntries(args[0] ?? fail('`.update()` without values'), '`.update()`', notes, fail)) set.push(() => `${quoteName(k)} = ${writeValue(v)}`);
          if (args[1]) returning.push(...names(args.slice(1)).map(quotePath));
        }
        break;
      }
      case 'increment': case 'decrement': {
        write = 'update';
        const col = name(args[0], 'a column');
        const by = args[1];
        set.push(() => `${quoteName(col)} = ${quotePath(col)} ${m === 'increment' ? '+' : '-'} ${by ? value(by) : '1'}`);
        break;
      }
      case 'del': case 'delete':
        write = 'delete';
        if (args[0]) returning.push(...names(args.slice(0, 1)).map(quotePath));
        break;
      case 'insert': {
        write = 'insert';
        const a = args[0] && unwrap(args[0]);
        const items = a && ts.isArrayLiteralExpression(a) ? a.elements : args.slice(0, 1);
        for (const item of items) {
          const e = unwrap(item);
          if (!ts.isObjectLiteralExpression(e)) fail(`the rows of \`.insert(${oneLine(args[0]?.getText() ?? '')})\` are known only at run time`);
          rows.push(objectEntries(e, '`.insert()`', notes, fail));
        }
        if (rows.length === 0) fail('`.insert()` with no rows (Knex runs no query)');
        if (args[1]) returning.push(...names(args.slice(1, 2)).map(quotePath));
        break;
      }
      case 'returning':
        returning.push(...names(args.slice(0, 1)).map(quotePath));
        break;
      case 'onConflict':
        conflict = { columns: args.length ? names(args) : [] };
        break;
      case 'ignore':
        if (!conflict) fail('`.ignore()` without `.onConflict()`');
        conflict!.action = () => 'DO NOTHING';
        break;
      case 'merge': {
        if (!conflict) fail('`.merge()` without `.onConflict()`');
        const c = conflict!;
        const a = args[0] && unwrap(args[0]);
        if (a && ts.isObjectLiteralExpression(a)) {
          const entries = objectEntries(a, '`.merge()`', notes, fail);
          c.action = () => `DO UPDATE SET ${[...entries].map(([k, v]) => `${quoteName(k)} = ${writeValue(v)}`).join(', ')}`;
        } else {
          // merge() sets every inserted column (merge(['a']) the ones named) to the row that conflicted.
          const listed = a ? names(args.slice(0, 1)) : undefined;
          c.action = () => `DO UPDATE SET ${(listed ?? [...rows[0].keys()]).map((k) => `${quoteName(k)} = excluded.${quoteName(k)}`).join(', ')}`;
        }
        break;
      }
      case 'then': case 'catch':
        break;
      default:
        fail(`\`.${m}()\` is not translated`);
    }
  }
  if (!from) fail('the chain names no table');

  if (write) return writeSql();
  const text = where.length === 0 ? [] : [where.map((w, i) => (i === 0 ? '' : w.or ? 'OR ' : 'AND ') + w.build()).join(' ')];
  const orderSql = orderBy.map((o) => o());
  const limitSql = limit === '1' ? '1' : limit ? value(limit) : undefined;
  const offsetSql = offset ? value(offset) : undefined;
  if (count) columns = [count];
  const sql = renderSelect({ columns: columns.length > 0 ? columns : ['*'], from: quotePath(from!), joins, where: text, orderBy: orderSql, limit: limitSql, offset: offsetSql });
  return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };

  function writeSql(): OrmTranslation {
    if (joins.length || orderBy.length || limit || offset || columns.length || count) fail(`joins, ordering, limits or selections in ${write === 'delete' ? 'a' : 'an'} ${write} are not translated`);
    const table = quotePath(from!);
    let sql: string;
    if (write === 'insert') {
      sql = renderInsert(table, rows, quoteName, writeValue) ?? fail('rows with different columns (Knex fills the gaps with DEFAULT) are not translated');
      if (conflict) sql += ` ON CONFLICT${conflict.columns.length ? ` (${conflict.columns.map(quoteName).join(', ')})` : ''} ${conflict.action ? conflict.action() : fail('`.onConflict()` without `.ignore()` or `.merge()`')}`;
    } else {
      if (conflict) fail('`.onConflict()` outside an insert');
      const head = write === 'update' ? `UPDATE ${table} SET ${set.map((x) => x()).join(', ')}` : `DELETE FROM ${table}`;
      const text = where.map((w, i) => (i === 0 ? '' : w.or ? 'OR ' : 'AND ') + w.build()).join(' ');
      sql = text ? `${head} WHERE ${text}` : head;
    }
    if (returning.length) sql += ` RETURNING ${returning.join(', ')}`;
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }

  /** A value written: a constant or a placeholder; raw SQL and subqueries are refused. */
  function writeValue(e: ts.Expression): string {
    const u = unwrap(e);
    if (ts.isCallExpression(u) && /(^|\.)(raw|fn\.\w+)$/.test(u.expression.getText())) fail(`\`${oneLine(e.getText())}\` (raw SQL) is not translated`);
    if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) fail(`\`${oneLine(e.getText())}\` (a subquery) is not translated`);
    return value(e);
  }

  function value(e: ts.Expression | undefined): string {
    if (!e) return fail('a condition without a value is not translated');
    const u = unwrap(e);
    if (ts.isIdentifier(u) && u.text === 'undefined') fail('an undefined value: Knex throws on undefined bindings');
    return valueSql(codeValue(e), params);
  }

  function compare(col: string, op: string, v: ts.Expression): string {
    const e = unwrap(v);
    if (op === 'in' || op === 'not in') return inList(col, v, op === 'not in');
    const cv: CodeValue = codeValue(e);
    // Knex writes `where(col, null)` as IS NULL.
    if ('literal' in cv && cv.literal === null) return `${quotePath(col)} IS ${op === '=' || op === 'is' ? '' : 'NOT '}NULL`;
    if (op === 'is' || op === 'is not') return 'literal' in cv && typeof cv.literal === 'boolean' ? `${quotePath(col)} ${op.toUpperCase()} ${literal(cv.literal)}` : fail(`\`${op}\` with a value other than null, true or false is not translated`);
    if (ts.isArrayLiteralExpression(e)) return inList(col, v, false);
    return `${quotePath(col)} ${op.toUpperCase()} ${value(v)}`;
  }

  function inList(col: string, v: ts.Expression | undefined, negate: boolean): string {
    const list = v && unwrap(v);
    if (!list) return fail('whereIn without values is not translated');
    if (ts.isArrayLiteralExpression(list)) {
      if (list.elements.some(ts.isSpreadElement)) fail('a spread in an IN list is not translated');
      // Knex writes an empty whereIn as a condition no row meets (and whereNotIn as one every row meets).
      if (list.elements.length === 0) return negate ? '1 = 1' : '1 = 0';
      return `${quotePath(col)} ${negate ? 'NOT IN' : 'IN'} (${list.elements.map((x) => value(x)).join(', ')})`;
    }
    if (ts.isArrowFunction(list) || ts.isFunctionExpression(list) || ts.isCallExpression(list) && /\b(knex|db|trx)\b/.test(list.getText())) fail('whereIn with a subquery is not translated');
    const p = params.add(oneLine(v!.getText()));
    notes.push(`${p} is the whole list: Knex sends IN (?, ?, …) with one binding per element`);
    return negate ? `${quotePath(col)} <> ALL(${p})` : `${quotePath(col)} = ANY(${p})`;
  }

  function order(col: string, dir: string): string {
    const d = dir.toUpperCase();
    if (d !== 'ASC' && d !== 'DESC') fail(`the direction \`${dir}\` is not translated`);
    return `${quotePath(col)} ${d}`;
  }
}

function wrapNot(negate: boolean, cond: string): string {
  return negate ? `NOT (${cond})` : cond;
}
