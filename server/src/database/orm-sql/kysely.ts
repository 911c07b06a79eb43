/**
 * Kysely chains → SQL: `db.selectFrom('posts').selectAll().where('author_id', '=', id)
 * .orderBy('created_at', 'desc').limit(…).offset(…).execute()`, and the writes
 * `updateTable(…).set({…})`, `deleteFrom(…)` and `insertInto(…).values({…})` (with `onConflict`'s
 * do-nothing and do-update forms and `returning`). Names are the database's, as written.
 * Consecutive where calls are ANDed; an expression-builder callback is refused. Trap:
 * executeTakeFirst() sends no LIMIT.
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { and, literal, Parameters, quotePath, renderInsert, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import { codeValue, objectEntries, oneLine, unwrap } from './typescript-values';
import type { TsModules } from './typescript-modules';
import { findDeclaration } from '../../languages/typescript/values';

const OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in', 'is', 'is not']);

/**
 * Kysely's `sql` template written out without substitutions (`sql<number>\`count(*)\``), or a
 * constant holding one, declared in the file or imported from another module of the workspace
 * (`countAll` of a shared util module): its SQL text.
 */
function sqlFragment(expr: ts.Expression, modules: TsModules | undefined, file: string | undefined, depth = 0): string | undefined {
  const e = unwrap(expr);
  if (ts.isTaggedTemplateExpression(e)) return ts.isIdentifier(e.tag) && e.tag.text === 'sql' && ts.isNoSubstitutionTemplateLiteral(e.template) ? e.template.text.trim() : undefined;
  if (!ts.isIdentifier(e) || depth > 2) return undefined;
  const local = findDeclaration(e);
  if (local) return ts.isVariableDeclaration(local) && local.initializer && ts.getCombinedNodeFlags(local) & ts.NodeFlags.Const ? sqlFragment(local.initializer, modules, file, depth + 1) : undefined;
  const imported = modules && file ? modules.importOf(file, e.text) : undefined;
  const sf = imported && modules!.sourceFile(imported.file);
  for (const st of sf?.statements ?? []) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    const d = st.declarationList.declarations.find((x) => ts.isIdentifier(x.name) && x.name.text === imported!.name);
    if (d?.initializer) return sqlFragment(d.initializer, modules, imported!.file, depth + 1);
  }
  return undefined;
}

export function translateKyselyChain(fact: TsQueryFact, modules?: TsModules, file?: string): OrmTranslation {
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
  let write: 'update' | 'delete' | 'insert' | undefined;
  const set: Array<[string, ts.Expression]> = [];
  const rows: Array<Map<string, ts.Expression>> = [];
  const returning: string[] = [];
  let conflict: string | undefined;
  let distinct = false;
  let lock: string | undefined;

  const joined: string[] = [];
  /** The tables the chain reads, by name and alias (`post as p`: both). */
  const tableNames = (): Set<string> => new Set([from, ...joined].filter((t): t is string => !!t).flatMap((t) => t.split(/\s+as\s+/i).map((x) => x.trim())));
  const name = (e: ts.Expression | undefined, what: string): string => {
    // `ref('list.uri')` (Kysely's, `sql.ref`, `eb.ref`) names a column as the string does.
    const u = e && unwrap(e);
    if (u && ts.isCallExpression(u) && /(^|\.)ref$/.test(u.expression.getText()) && u.arguments.length === 1) e = u.arguments[0];
    const v = e ? codeValue(e) : undefined;
    return v && 'literal' in v && typeof v.literal === 'string' ? v.literal : fail(`${what} known only at run time is not translated`);
  };

  /** A selected column (`'post.title as title'`), or a `sql` fragment with its alias (`countAll.as('count')`). */
  const selection = (x: ts.Expression): string => {
    const e = unwrap(x);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'as' && e.arguments.length === 1) {
      const fragment = sqlFragment(e.expression.expression, modules, file);
      if (fragment !== undefined) return `${fragment} AS ${quotePath(name(e.arguments[0], 'an alias'))}`;
    }
    return quotePath(name(x, 'a selection'));
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
      case 'updateTable': case 'deleteFrom': case 'insertInto': {
        const a = args[0] && unwrap(args[0]);
        if (a && ts.isArrayLiteralExpression(a)) fail(`\`.${m}()\` of several tables is not translated`);
        from = name(args[0], 'a table');
        write = m === 'updateTable' ? 'update' : m === 'deleteFrom' ? 'delete' : 'insert';
        break;
      }
      case 'set': {
        const a = args[0] && unwrap(args[0]);
        if (args.length === 1 && a && (ts.isArrowFunction(a) || ts.isFunctionExpression(a))) fail('`.set()` with a callback is not translated');
        if (args.length === 2) set.push([name(args[0], 'a column'), args[1]]);
        else if (args.length === 1) for (const [k, v] of objectEntries(args[0], '`.set()`', notes, fail)) set.push([k, v]);
        else fail('`.set()` without values');
        break;
      }
      case 'values': {
        const a = args[0] && unwrap(args[0]);
        const items = a && ts.isArrayLiteralExpression(a) ? a.elements : args.slice(0, 1);
        if (items.length === 0) fail('`.values()` with no rows');
        for (const item of items) {
          const e = unwrap(item);
          if (!ts.isObjectLiteralExpression(e)) fail(`the rows of \`.values(${oneLine(args[0].getText())})\` are known only at run time`);
          rows.push(objectEntries(e, '`.values()`', notes, fail));
        }
        break;
      }
      case 'onConflict': {
        const cb = args[0] && unwrap(args[0]);
        if (!cb || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) fail('`.onConflict()` without a callback');
        conflict = onConflict(cb as ts.ArrowFunction | ts.FunctionExpression);
        break;
      }
      case 'returning':
        for (const a of args) {
          const e = unwrap(a);
          for (const x of ts.isArrayLiteralExpression(e) ? e.elements : [e]) returning.push(quotePath(name(x, 'a returned column')));
        }
        break;
      case 'returningAll':
        returning.push('*');
        break;
      case 'selectAll':
        columns.push(args[0] ? `${quotePath(name(args[0], 'a table'))}.*` : '*');
        break;
      case 'select': {
        const a = args[0] && unwrap(args[0]);
        if (!a || ts.isArrowFunction(a) || ts.isFunctionExpression(a)) fail('`.select()` with a callback is not translated');
        const items = ts.isArrayLiteralExpression(a!) ? a.elements : [a!];
        columns.push(...items.map((x) => selection(x)));
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
      case 'whereRef': {
        if (args.length !== 3) fail('`.whereRef()` other than (column, operator, column) is not translated');
        const op = name(args[1], 'an operator').toLowerCase();
        if (!OPERATORS.has(op) || /^(not )?in$|^is/.test(op)) fail(`the operator \`${op}\` in \`.whereRef()\` is not translated`);
        const [left, right] = [name(args[0], 'a column'), name(args[2], 'a column')];
        where.push(() => {
          // A column of a table this chain does not read: a subquery's reference to its outer query.
          const outer = [left, right].find((c) => c.includes('.') && !tableNames().has(c.slice(0, c.lastIndexOf('.'))));
          if (outer) fail(`\`${outer}\` is a column of the enclosing query (a correlated subquery is translated only with it)`);
          return `${quotePath(left)} ${op.toUpperCase()} ${quotePath(right)}`;
        });
        break;
      }
      case 'distinct':
        distinct = true;
        break;
      case 'forUpdate': case 'forShare': case 'forNoKeyUpdate': case 'forKeyShare':
        lock = m.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
        break;
      case 'innerJoin': case 'leftJoin': {
        if (args.length !== 3) fail(`\`.${m}()\` other than (table, column, column) is not translated`);
        joined.push(name(args[0], 'a joined table'));
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
  if (write) return writeSql();
  if (columns.length === 0) fail('the chain selects no columns (select/selectAll)');
  if (terminal?.startsWith('executeTakeFirst') && !limit) notes.push(`${terminal}() sends no LIMIT: every matching row is read and the first one kept; add .limit(1)`);
  const whereSql = where.map((w) => w());
  let sql = renderSelect({ columns, distinct, from: quotePath(from!), joins, where: whereSql.length > 0 ? [and(whereSql)] : [], orderBy, limit: limit ? valueSql(codeValue(limit), params) : undefined, offset: offset ? valueSql(codeValue(offset), params) : undefined });
  if (lock) sql += ` ${lock}`;
  return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };

  function writeSql(): OrmTranslation {
    if (joins.length || orderBy.length || limit || offset || columns.length || distinct || lock) fail(`joins, ordering, limits or selections in ${write === 'delete' ? 'a' : 'an'} ${write} are not translated`);
    const table = quotePath(from!);
    let sql: string;
    if (write === 'insert') {
      if (rows.length === 0) fail('the insert has no `.values()`');
      sql = (renderInsert(table, rows, quotePath, value) ?? fail('rows with different columns (Kysely fills the gaps with DEFAULT) are not translated')) + (conflict ?? '');
    } else {
      if (write === 'update' && set.length === 0) fail('the update sets nothing (`.set()`)');
      // Placeholders numbered in the order of the text: the assignments, then the conditions.
      const head = write === 'update' ? `UPDATE ${table} SET ${set.map(([c, v]) => `${quotePath(c)} = ${value(v)}`).join(', ')}` : `DELETE FROM ${table}`;
      const whereSql = where.map((w) => w());
      sql = whereSql.length ? `${head} WHERE ${and(whereSql)}` : head;
    }
    if (returning.length) sql += ` RETURNING ${returning.join(', ')}`;
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }

  /** `(oc) => oc.doNothing()`, `oc.column('a').doNothing()`, `oc.columns(['a', 'b']).doUpdateSet({ … })`. */
  function onConflict(cb: ts.ArrowFunction | ts.FunctionExpression): string {
    let body: ts.Node = cb.body;
    if (ts.isBlock(body)) {
      const ret = body.statements.length === 1 && ts.isReturnStatement(body.statements[0]) ? body.statements[0].expression : undefined;
      body = ret ?? fail('an `.onConflict()` callback other than one expression is not translated');
    }
    const calls: ts.CallExpression[] = [];
    let e = unwrap(body as ts.Expression);
    while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      calls.unshift(e);
      e = unwrap(e.expression.expression);
    }
    let target = '';
    let action: string | undefined;
    for (const c of calls) {
      const m = (c.expression as ts.PropertyAccessExpression).name.text;
      const a = c.arguments;
      if (m === 'column') target = ` (${quotePath(name(a[0], 'a conflict column'))})`;
      else if (m === 'columns') {
        const list = a[0] && unwrap(a[0]);
        target = ` (${(list && ts.isArrayLiteralExpression(list) ? list.elements : fail('`.columns()` without a list')).map((x) => quotePath(name(x, 'a conflict column'))).join(', ')})`;
      } else if (m === 'constraint') target = ` ON CONSTRAINT ${quotePath(name(a[0], 'a constraint'))}`;
      else if (m === 'doNothing') action = 'DO NOTHING';
      else if (m === 'doUpdateSet') {
        const entries = a.length === 1 ? objectEntries(a[0], '`.doUpdateSet()`', notes, fail) : fail('`.doUpdateSet()` with a callback is not translated');
        action = `DO UPDATE SET ${[...entries].map(([k, v]) => `${quotePath(k)} = ${excludedOrValue(v)}`).join(', ')}`;
      } else fail(`\`.${m}()\` in \`.onConflict()\` is not translated`);
    }
    return ` ON CONFLICT${target} ${action ?? fail('`.onConflict()` without doNothing() or doUpdateSet()')}`;
  }

  /** `(eb) => eb.ref('excluded.x')` is the row that conflicted; anything else a value. */
  function excludedOrValue(v: ts.Expression): string {
    const e = unwrap(v);
    if ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && !ts.isBlock(e.body)) {
      const b = unwrap(e.body);
      if (ts.isCallExpression(b) && ts.isPropertyAccessExpression(b.expression) && b.expression.name.text === 'ref' && b.arguments.length === 1) return quotePath(name(b.arguments[0], 'a column reference'));
      fail(`\`${oneLine(v.getText())}\` in \`.doUpdateSet()\` is not translated`);
    }
    return value(e);
  }

  /** A value written or set: a constant, else a placeholder; an expression builder is refused. */
  function value(v: ts.Expression): string {
    const e = unwrap(v);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) fail(`\`${oneLine(v.getText())}\` (an expression builder) is not translated`);
    if (ts.isTaggedTemplateExpression(e)) fail(`\`${oneLine(v.getText())}\` (raw SQL) is not translated`);
    return valueSql(codeValue(e), params);
  }

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
