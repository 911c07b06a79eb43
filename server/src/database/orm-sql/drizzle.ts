/**
 * Drizzle queries → SQL, with table and column names from the `pgTable` definitions:
 *  - the select builder: `db.select(fields?).from(posts).where(eq(posts.authorId, id))
 *    .orderBy(desc(posts.createdAt)).limit(…).offset(…)`, with inner/left joins;
 *  - the relational API: `db.query.posts.findMany({ where, orderBy, limit, offset, columns, with })`,
 *    where `with` loads each relation in a LATERAL subquery (Drizzle's relational queries v1);
 *  - the writes `db.update(t).set({…})`, `db.delete(t)` and `db.insert(t).values({…})`, with
 *    where, onConflictDoNothing/onConflictDoUpdate and returning.
 * Conditions are Drizzle's operator functions (eq, ne, gt, gte, lt, lte, inArray, notInArray,
 * isNull, isNotNull, like, ilike, between, and, or, not); `sql` templates are refused.
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { DrizzleTables, type DrizzleColumn, type DrizzleTable } from './drizzle-tables';
import { and, column, not, or, Parameters, quoteName, renderInsert, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import type { TsModules } from './typescript-modules';
import { codeValue, objectEntries, oneLine, unwrap } from './typescript-values';

/** The arguments each condition function needs (a call with fewer is half-typed code). */
const ARITY: Record<string, number> = { not: 1, isNull: 1, isNotNull: 1, between: 3, notBetween: 3, inArray: 2, notInArray: 2 };
const COMPARE: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', ilike: 'ILIKE', notLike: 'NOT LIKE', notIlike: 'NOT ILIKE' };

export function translateDrizzleQuery(fact: TsQueryFact, modules: TsModules, file: string): OrmTranslation {
  const callee = oneLine(fact.callee);
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  const tables = new DrizzleTables(file, modules);
  const notes: string[] = [];
  const params = new Parameters();
  const unnamed = new Set<string>();
  /** Local names (table variables, callback parameters) → tables. */
  const scope = new Map<string, DrizzleTable>();
  const tableOf = (e: ts.Expression): DrizzleTable => {
    const u = unwrap(e);
    if (!ts.isIdentifier(u)) return fail(`the table \`${oneLine(u.getText())}\` is not a name (aliases are not translated)`);
    const t = scope.get(u.text) ?? tables.table(u.text) ?? fail(`no Drizzle table \`${u.text}\` found (looked for pgTable(…) in the module it is imported from, this file and the modules it imports)`);
    scope.set(u.text, t);
    return t;
  };
  const col = (t: DrizzleTable, c: DrizzleColumn, alias = t.table): string => {
    if (c.unnamed) unnamed.add(`${t.name}.${c.property}`);
    return column(alias, c.column);
  };

  const relational = /\.query\.(\w+)\.(findMany|findFirst)$/.exec(oneLine(fact.call.expression.getText()));
  const first = fact.chain?.[0];
  const writeMethod = first && ts.isPropertyAccessExpression(first.expression) ? /^(update|delete|insert)$/.exec(first.expression.name.text)?.[1] : undefined;
  const sql = relational ? relationalQuery(relational[1], relational[2]) : writeMethod ? writeChain(writeMethod as 'update' | 'delete' | 'insert') : selectChain();
  if (unnamed.size > 0) notes.push(`${[...unnamed].join(', ')}: no column name in pgTable and no casing in drizzle.config, so the property name is the column (unless the client sets casing: 'snake_case')`);
  return { sql, description: `${relational ? oneLine(fact.call.expression.getText()) : callee} → SQL`, notes: [...params.notes(), ...notes] };

  function selectChain(): string {
    const chain = fact.chain ?? fail('not a select chain');
    let fields: ts.Expression | undefined;
    let from: DrizzleTable | undefined;
    const joined: Array<{ table: DrizzleTable; kind: string; on: ts.Expression }> = [];
    let where: ts.Expression | undefined;
    const order: ts.Expression[] = [];
    let limit: ts.Expression | undefined;
    let offset: ts.Expression | undefined;
    let distinct = false;
    for (const call of chain) {
      const m = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : fail('not a Drizzle chain');
      const args = call.arguments;
      switch (m) {
        case 'select': case 'selectDistinct':
          fields = args[0];
          distinct = m === 'selectDistinct';
          break;
        case 'from':
          from = tableOf(args[0] ?? fail('`.from()` without a table'));
          break;
        case 'innerJoin': case 'leftJoin': case 'rightJoin': case 'fullJoin':
          joined.push({ table: tableOf(args[0] ?? fail(`\`.${m}()\` without a table`)), kind: m.replace('Join', '').toUpperCase(), on: args[1] ?? fail(`\`.${m}()\` without a condition`) });
          break;
        case 'where':
          where = args[0];
          break;
        case 'orderBy':
          order.push(...args);
          break;
        case 'limit':
          limit = args[0];
          break;
        case 'offset':
          offset = args[0];
          break;
        case 'execute': case '$dynamic':
          break;
        default:
          fail(`\`.${m}()\` is not translated`);
      }
    }
    if (!from) return fail('the chain has no .from(table)');
    let columns: string[];
    if (fields) {
      columns = [...objectEntries(fields, 'the selected fields', notes, fail).values()].map((v) => columnRef(v) ?? fail(`the selected field \`${oneLine(v.getText())}\` is not a column (sql templates and nested objects are not translated)`));
    } else {
      columns = [from, ...joined.map((j) => j.table)].flatMap((t) => t.columns.map((c) => col(t, c)));
    }
    const joins = joined.map((j) => `${j.kind === 'INNER' ? 'INNER' : `${j.kind}`} JOIN ${quoteName(j.table.table)} ON ${condition(j.on)}`);
    const whereSql = where ? condition(where) : undefined;
    const orderBy = order.map(orderKey);
    const sql = renderSelect({ columns, from: quoteName(from.table), joins, where: whereSql ? [whereSql] : [], orderBy, limit: limit ? valueSql(codeValue(limit), params) : undefined, offset: offset ? valueSql(codeValue(offset), params) : undefined });
    return distinct ? sql.replace(/^SELECT /, 'SELECT DISTINCT ') : sql;
  }

  /**
   * `db.update(t).set({…}).where(…)`, `db.delete(t).where(…)`, `db.insert(t).values({…})` with
   * `onConflictDoNothing`/`onConflictDoUpdate` and `returning`; values are keyed by property.
   */
  function writeChain(kind: 'update' | 'delete' | 'insert'): string {
    const chain = fact.chain!;
    const table = tableOf(chain[0].arguments[0] ?? fail(`\`.${kind}()\` without a table`));
    const target = quoteName(table.table);
    const prop = (name: string): string => quoteName(columnOf(table, name).column);
    let set: string[] = [];
    let where: ts.Expression | undefined;
    let rows: Array<Map<string, ts.Expression>> = [];
    let conflict = '';
    let returning: string[] | undefined;
    const assignments = (e: ts.Expression, what: string): string[] => [...objectEntries(e, what, notes, fail)].map(([k, v]) => `${prop(k)} = ${writeValue(v)}`);
    for (const call of chain.slice(1)) {
      const m = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : fail('not a Drizzle chain');
      const a = call.arguments;
      switch (m) {
        case 'set':
          set = assignments(a[0] ?? fail('`.set()` without values'), '`.set()`');
          break;
        case 'where':
          where = a[0];
          break;
        case 'values': {
          const v = a[0] && unwrap(a[0]);
          const items = v && ts.isArrayLiteralExpression(v) ? [...v.elements] : a.slice(0, 1);
          rows = items.map((x) => {
            const e = unwrap(x);
            return ts.isObjectLiteralExpression(e) ? objectEntries(e, '`.values()`', notes, fail) : fail(`the rows of \`.values(${oneLine(a[0].getText())})\` are known only at run time`);
          });
          break;
        }
        case 'onConflictDoNothing': case 'onConflictDoUpdate': {
          const o = a[0] ? objectEntries(a[0], `\`.${m}()\``, notes, fail) : new Map<string, ts.Expression>();
          const t = o.get('target') && unwrap(o.get('target')!);
          const targets = t ? (ts.isArrayLiteralExpression(t) ? [...t.elements] : [t]).map((x) => quoteName(columnOf(table, propertyOf(x)).column)) : [];
          if (m === 'onConflictDoUpdate' && !t) fail('`.onConflictDoUpdate()` without a target');
          conflict = ` ON CONFLICT${targets.length ? ` (${targets.join(', ')})` : ''} DO ${m === 'onConflictDoNothing' ? 'NOTHING' : `UPDATE SET ${assignments(o.get('set') ?? fail('`.onConflictDoUpdate()` without set'), '`set`').join(', ')}`}`;
          break;
        }
        case 'returning':
          returning = a[0] ? [...objectEntries(a[0], '`.returning()`', notes, fail).values()].map((v) => columnRef(v) ?? fail(`\`${oneLine(v.getText())}\` in returning is not a column`)) : table.columns.map((c) => col(table, c));
          break;
        case 'execute':
          break;
        default:
          fail(`\`.${m}()\` is not translated`);
      }
    }
    let sql: string;
    if (kind === 'insert') {
      if (rows.length === 0) fail('the insert has no `.values()`');
      sql = (renderInsert(target, rows, prop, writeValue) ?? fail('rows with different columns (Drizzle fills the gaps with default) are not translated')) + conflict;
    } else {
      if (kind === 'update' && set.length === 0) fail('the update sets nothing (`.set()`)');
      sql = kind === 'update' ? `UPDATE ${target} SET ${set.join(', ')}` : `DELETE FROM ${target}`;
      if (where) sql += ` WHERE ${condition(where)}`;
    }
    return returning ? `${sql} RETURNING ${returning.join(', ')}` : sql;
  }

  /** `posts.id` → `id` (a conflict target). */
  function propertyOf(e: ts.Expression): string {
    const u = unwrap(e);
    return ts.isPropertyAccessExpression(u) ? u.name.text : fail(`the conflict target \`${oneLine(u.getText())}\` is not a column`);
  }

  /** A value written: a constant or a placeholder; `sql` templates are refused. */
  function writeValue(e: ts.Expression): string {
    const u = unwrap(e);
    if (ts.isTaggedTemplateExpression(u)) fail(`\`${oneLine(e.getText())}\` (an sql template) is not translated`);
    return operand(e);
  }

  function relationalQuery(key: string, method: string): string {
    const table = tables.table(key) ?? fail(`no Drizzle table \`${key}\` found (db.query.${key} is read as the table variable \`${key}\`)`);
    scope.set(key, table);
    const arg = fact.call.arguments[0];
    const options = arg ? objectEntries(arg, 'the options', notes, fail) : new Map<string, ts.Expression>();
    for (const k of options.keys()) if (!['where', 'orderBy', 'limit', 'offset', 'columns', 'with'].includes(k)) fail(`the \`${k}\` option is not translated`);
    let columns = table.columns;
    if (options.has('columns')) {
      const picked = objectEntries(options.get('columns')!, '`columns`', notes, fail);
      const on = [...picked].filter(([, v]) => unwrap(v).kind === ts.SyntaxKind.TrueKeyword).map(([k]) => k);
      const off = [...picked].filter(([, v]) => unwrap(v).kind === ts.SyntaxKind.FalseKeyword).map(([k]) => k);
      if (on.length + off.length !== picked.size) fail('`columns` known only at run time are not translated');
      columns = on.length > 0 ? table.columns.filter((c) => on.includes(c.property)) : table.columns.filter((c) => !off.includes(c.property));
    }
    const selected = columns.map((c) => col(table, c));
    const joins: string[] = [];
    if (options.has('with')) {
      for (const [name, value] of objectEntries(options.get('with')!, '`with`', notes, fail)) {
        const v = unwrap(value);
        if (v.kind === ts.SyntaxKind.FalseKeyword) continue;
        if (v.kind !== ts.SyntaxKind.TrueKeyword) fail(`options inside \`with.${name}\` are not translated`);
        const rel = table.relations.find((r) => r.name === name) ?? fail(`\`${name}\` is not a relation of ${table.name} (relations are read from relations(${table.name}, …))`);
        const target = tables.table(rel.target, table.file) ?? fail(`no Drizzle table \`${rel.target}\` found`);
        const alias = `${table.name}_${name}`;
        const targetCols = target.columns.map((c) => col(target, c, alias)).join(', ');
        let match: string;
        if (rel.kind === 'one' && rel.fields && rel.references) {
          match = rel.fields.map((f, i) => `${column(alias, columnOf(target, rel.references![i]).column)} = ${column(table.table, columnOf(table, f).column)}`).join(' AND ');
        } else {
          // The other side's one(…) holds the foreign key.
          const back = target.relations.find((r) => r.kind === 'one' && r.target === table.name && r.fields && r.references) ?? fail(`the relation \`${name}\` has no one(…) with fields/references on ${target.name}`);
          match = back.fields!.map((f, i) => `${column(alias, columnOf(target, f).column)} = ${column(table.table, columnOf(table, back.references![i]).column)}`).join(' AND ');
        }
        const data = rel.kind === 'one'
          ? `SELECT json_build_array(${targetCols}) AS "data" FROM (SELECT * FROM ${quoteName(target.table)} ${quoteName(alias)} WHERE ${match} LIMIT 1) ${quoteName(alias)}`
          : `SELECT coalesce(json_agg(json_build_array(${targetCols})), '[]'::json) AS "data" FROM ${quoteName(target.table)} ${quoteName(alias)} WHERE ${match}`;
        joins.push(`LEFT JOIN LATERAL (${data}) ${quoteName(alias)} ON true`);
        selected.push(`${column(alias, 'data')} AS ${quoteName(name)}`);
      }
      if (joins.length > 0) notes.push('with: Drizzle loads each relation in a LATERAL subquery that builds JSON (relational queries v1)');
    }
    const where = options.get('where');
    const orderBy = options.get('orderBy');
    const callback = (e: ts.Expression | undefined): ts.Expression | undefined => {
      const u = e && unwrap(e);
      if (!u || !(ts.isArrowFunction(u) || ts.isFunctionExpression(u))) return e;
      const p = u.parameters[0];
      if (p && ts.isIdentifier(p.name)) scope.set(p.name.text, table);
      const body = u.body;
      if (ts.isBlock(body)) return body.statements.find(ts.isReturnStatement)?.expression ?? fail('a callback without a return is not translated');
      return body;
    };
    const whereExpr = callback(where);
    const whereSql = whereExpr ? condition(whereExpr) : undefined;
    const orderExpr = callback(orderBy);
    const orderItems = orderExpr ? (ts.isArrayLiteralExpression(unwrap(orderExpr)) ? [...(unwrap(orderExpr) as ts.ArrayLiteralExpression).elements] : [orderExpr]) : [];
    const order = orderItems.map(orderKey);
    const limit = method === 'findFirst' ? '1' : options.has('limit') ? valueSql(codeValue(options.get('limit')!), params) : undefined;
    const offset = options.has('offset') ? valueSql(codeValue(options.get('offset')!), params) : undefined;
    return renderSelect({ columns: selected, from: quoteName(table.table), joins, where: whereSql ? [whereSql] : [], orderBy: order, limit, offset });
  }

  function columnOf(t: DrizzleTable, property: string): DrizzleColumn {
    return t.columns.find((c) => c.property === property) ?? fail(`\`${property}\` is not a column of ${t.name}`);
  }

  /** `posts.authorId` → `"posts"."author_id"`, or undefined when the expression is not a column. */
  function columnRef(e: ts.Expression): string | undefined {
    const u = unwrap(e);
    if (!ts.isPropertyAccessExpression(u) || !ts.isIdentifier(u.expression)) return undefined;
    const local = u.expression.text;
    const t = scope.get(local) ?? (tables.table(local) && tableOf(u.expression));
    if (!t) return undefined;
    return col(t, columnOf(t, u.name.text));
  }

  function operand(e: ts.Expression): string {
    return columnRef(e) ?? valueSql(codeValue(e), params);
  }

  function condition(expr: ts.Expression): string {
    const e = unwrap(expr);
    if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression)) return fail(`the condition \`${oneLine(e.getText())}\` is not translated (Drizzle operator calls are)`);
    const fn = e.expression.text;
    const a = e.arguments;
    const needs = ARITY[fn];
    if (needs !== undefined && a.length < needs) fail(`\`${fn}()\` needs ${needs} argument${needs > 1 ? 's' : ''}`);
    if (COMPARE[fn]) {
      if (a.length !== 2) fail(`\`${fn}()\` needs two arguments`);
      const left = operand(a[0]);
      const right = operand(a[1]);
      return `${left} ${COMPARE[fn]} ${right}`;
    }
    switch (fn) {
      case 'and': case 'or': {
        const parts = a.filter((x) => unwrap(x).kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isIdentifier(unwrap(x)) && (unwrap(x) as ts.Identifier).text === 'undefined')).map(condition);
        return fn === 'and' ? and(parts) : or(parts);
      }
      case 'not':
        return not(condition(a[0] ?? fail('`not()` without a condition')));
      case 'isNull': case 'isNotNull':
        return `${columnRef(a[0]) ?? fail(`\`${fn}()\` on something other than a column is not translated`)} IS ${fn === 'isNotNull' ? 'NOT ' : ''}NULL`;
      case 'between': case 'notBetween':
        return `${operand(a[0])} ${fn === 'notBetween' ? 'NOT ' : ''}BETWEEN ${operand(a[1])} AND ${operand(a[2])}`;
      case 'inArray': case 'notInArray': {
        const target = columnRef(a[0]) ?? fail(`\`${fn}()\` on something other than a column is not translated`);
        const list = a[1] && unwrap(a[1]);
        if (list && ts.isArrayLiteralExpression(list)) {
          if (list.elements.some(ts.isSpreadElement)) fail('a spread in inArray is not translated');
          // Drizzle writes an empty inArray as false (and notInArray as true).
          if (list.elements.length === 0) return fn === 'inArray' ? 'false' : 'true';
          return `${target} ${fn === 'inArray' ? 'IN' : 'NOT IN'} (${list.elements.map((x) => valueSql(codeValue(x), params)).join(', ')})`;
        }
        const p = params.add(oneLine((a[1] ?? fail(`\`${fn}()\` without a list`)).getText()));
        notes.push(`${p} is the whole list: Drizzle sends in ($1, $2, …) with one parameter per element`);
        return fn === 'inArray' ? `${target} = ANY(${p})` : `${target} <> ALL(${p})`;
      }
      default:
        return fail(`the condition \`${fn}()\` is not translated`);
    }
  }

  function orderKey(expr: ts.Expression): string {
    const e = unwrap(expr);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && (e.expression.text === 'asc' || e.expression.text === 'desc') && e.arguments[0]) {
      return `${columnRef(e.arguments[0]) ?? fail(`ordering by \`${oneLine(e.arguments[0].getText())}\` is not translated`)} ${e.expression.text.toUpperCase()}`;
    }
    // A bare column orders as Drizzle writes it: no direction (ascending).
    return columnRef(e) ?? fail(`ordering by \`${oneLine(e.getText())}\` is not translated`);
  }
}
