/**
 * SQLAlchemy statements → SQL: `select(Model)` (2.0 style) and `session.query(Model)` (legacy)
 * with where/filter (comparisons of `Model.column`, `in_`, `is_`/`is_not`, `like`/`ilike`,
 * `and_`/`or_`/`not_`, `~`), filter_by, order_by (`.desc()`, `desc(...)`), limit/offset, slices,
 * and the legacy terminals first/count/all, and the legacy bulk writes `Query.update({…})` and
 * `Query.delete()`. Every mapped column is selected, as SQLAlchemy does.
 */
import type { Node } from 'web-tree-sitter';
import { args } from '../../languages/python/tree';
import { pyCodeValue, pyString } from './python-values';
import { and, column, not, or, Parameters, quoteName, renderInsert, renderSelect, valueSql } from './sql-builder';
import type { SqlalchemyModel, SqlalchemyModels } from './sqlalchemy-models';
import { UntranslatableCall, type OrmTranslation } from './translation';

/** SQLAlchemy's write statements, called by name, on the module (`sa.update`) or a dialect's (`postgresql.insert`, `pg_insert`). */
const WRITE_STATEMENT = /^(?:(?:sa|sqlalchemy|postgresql|sqlite|mysql)\.)?(update|delete|insert)$|^\w+_(insert)$/;

/** The first call of the chain `node` ends (`update(User)` in `update(User).where(…).values(…)`). */
function chainRoot(node: Node): Node {
  let n = node;
  for (;;) {
    const fn = n.childForFieldName('function');
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (obj?.type !== 'call') return n;
    n = obj;
  }
}

const COMPARISONS: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

export function translateSqlalchemyQuery(node: Node, models: SqlalchemyModels): OrmTranslation {
  const text = node.text.replace(/\s*\n\s*/g, ' ');
  const fail = (what: string): never => {
    throw new UntranslatableCall(text, what);
  };
  // `Post`, or `models.Post` (OpenStack's services import the models module).
  const modelName = (n: Node | null | undefined): string | undefined => (n?.type === 'identifier' ? n.text : n?.type === 'attribute' ? n.childForFieldName('attribute')?.text : undefined);
  // update(Model), delete(Model), insert(Model) (a dialect's too: `pg_insert`, `postgresql.insert`), as the chain's first call.
  const root = chainRoot(node);
  const statementMatch = WRITE_STATEMENT.exec(root.childForFieldName('function')?.text ?? '');
  const statement = (statementMatch?.[1] ?? statementMatch?.[2]) as 'update' | 'delete' | 'insert' | undefined;
  // select(Model), db.select(Model) (Flask-SQLAlchemy), session.query(Model); or Flask-SQLAlchemy's `Model.query`.
  const call = statement ? root : [node, ...node.descendantsOfType('call').filter((c): c is Node => !!c)].find((c) => c.type === 'call' && /^(\w+\.)*(query|select)$/.test(c.childForFieldName('function')?.text ?? ''));
  const modelQuery = call
    ? undefined
    : [node, ...node.descendantsOfType('attribute').filter((c): c is Node => !!c)].find((a) => a.type === 'attribute' && a.childForFieldName('attribute')?.text === 'query' && /^[A-Z]/.test(modelName(a.childForFieldName('object')) ?? ''));
  const start = call ?? modelQuery;
  if (!start) fail('no select(Model), session.query(Model) or Model.query in this expression');
  const startArgs = call ? args(call) : [modelQuery!.childForFieldName('object')!];
  const name = startArgs.length === 1 ? modelName(startArgs[0]) : undefined;
  if (!name) fail(statement ? `only ${statement}(Model) of one model class is translated` : 'only select(Model)/query(Model) of one model class is translated');
  const model = models.model(name!) ?? fail(`no SQLAlchemy model \`${startArgs[0].text}\` with a __tablename__ found`);
  const params = new Parameters();
  const where: string[] = [];
  const orderBy: string[] = [];
  let limit: string | undefined;
  let offset: string | undefined;
  let count = false;
  let write: { kind: 'update'; values: Node } | { kind: 'delete' } | undefined;
  // A 2.0 statement's parts: `.values(…)` (a dict, keywords, or a list of dicts to insert), `.returning(…)`, ON CONFLICT.
  let values: Array<Map<string, string>> | undefined;
  let returning: string[] | undefined;
  let onConflict: string | undefined;

  // From select(Model) outwards through the builder calls.
  for (let n = start!; n.parent?.type === 'attribute' && n.parent.parent?.type === 'call'; n = n.parent.parent) {
    const method = n.parent.childForFieldName('attribute')!.text;
    const a = args(n.parent.parent);
    switch (method) {
      case 'where':
      case 'filter':
        where.push(...a.map(condition));
        break;
      case 'filter_by':
        for (const kw of a) {
          if (kw.type !== 'keyword_argument') fail('filter_by() takes keyword arguments');
          where.push(compare(columnOf(model, kw.childForFieldName('name')!.text), '=', kw.childForFieldName('value')!));
        }
        break;
      case 'order_by':
        orderBy.push(...a.map(orderTerm));
        break;
      case 'limit':
        limit = valueSql(pyCodeValue(a[0] ?? fail('`.limit()` without a value')), params);
        break;
      case 'offset':
        offset = valueSql(pyCodeValue(a[0] ?? fail('`.offset()` without a value')), params);
        break;
      case 'first':
        limit = '1';
        break;
      case 'count':
        count = true;
        break;
      case 'values':
        if (!statement || statement === 'delete') fail('`.values()` is not translated here');
        values = valueRows(a);
        break;
      case 'returning':
        if (!statement) fail('`.returning()` is not translated here');
        returning = a.flatMap((r) => (modelName(r) === model.name ? [...model.columns.values()].map((c) => quoteName(c)) : [quoteName(columnName(r))]));
        if (returning.length === 0) fail('`.returning()` with nothing to return');
        break;
      case 'on_conflict_do_nothing':
      case 'on_conflict_do_update':
        if (statement !== 'insert') fail(`\`.${method}()\` is not translated here`);
        onConflict = conflictClause(method === 'on_conflict_do_update', a);
        break;
      case 'execution_options':
        break;
      case 'update':
        // Query.update({User.name: "x"}) / ({"name": "x"}): an UPDATE of the rows the query filters.
        if (a[0]?.type !== 'dictionary') fail('update() with values that are not a dict written out is not translated');
        write = { kind: 'update', values: a[0] };
        break;
      case 'delete':
        write = { kind: 'delete' };
        break;
      case 'all':
      case 'scalars':
      case 'one':
      case 'one_or_none':
        break;
      default:
        fail(`\`.${method}()\` is not translated`);
    }
  }
  if (statement) {
    if (orderBy.length || limit || offset || count) fail(`ordering, limits or counts in ${statement}() are not translated`);
    const description = `${root.text.replace(/\s*\n\s*/g, ' ')} (SQLAlchemy) → SQL`;
    const tail = returning ? ` RETURNING ${returning.join(', ')}` : '';
    if (statement === 'insert') {
      if (!values?.length) fail('insert() without .values() written out (rows passed to execute()) is not translated');
      if (where.length) fail('an insert() with a filter is not translated');
      const sql = renderInsert(quoteName(model.table), values!, quoteName, (v) => v) ?? fail('rows of different columns in one insert() are not translated');
      return { sql: `${sql}${onConflict ?? ''}${tail}`, description, notes: params.notes() };
    }
    let sql: string;
    if (statement === 'update') {
      if (values?.length !== 1) fail('update() without one set of .values() is not translated');
      sql = `UPDATE ${quoteName(model.table)} SET ${[...values![0]].map(([c, v]) => `${quoteName(c)} = ${v}`).join(', ')}`;
    } else sql = `DELETE FROM ${quoteName(model.table)}`;
    if (where.length) sql += ` WHERE ${and(where)}`;
    return { sql: sql + tail, description, notes: params.notes() };
  }
  if (write) {
    if (orderBy.length || limit || offset || count) fail(`ordering, limits or counts in a Query.${write.kind}() are not translated`);
    let sql: string;
    if (write.kind === 'update') {
      // Numbered after the filter's placeholders, as the chain builds them; PostgreSQL takes any order.
      const pairs = write.values.namedChildren.filter((c): c is Node => c?.type === 'pair');
      if (pairs.length === 0) fail('update() with no values');
      const set = pairs.map((p) => {
        const key = p.childForFieldName('key')!;
        const value = p.childForFieldName('value')!;
        const attr = key.type === 'string' ? pyString(key) ?? fail(`the key \`${key.text}\` is not translated`) : key.type === 'attribute' && modelName(key.childForFieldName('object')) === model.name ? key.childForFieldName('attribute')!.text : fail(`the key \`${key.text}\` is not a column of ${model.name}`);
        const c = model.columns.get(attr) ?? fail(`\`${attr}\` is not a mapped column of ${model.name}`);
        return `${quoteName(c)} = ${valueSql(pyCodeValue(value), params)}`;
      });
      sql = `UPDATE ${quoteName(model.table)} SET ${set.join(', ')}`;
    } else sql = `DELETE FROM ${quoteName(model.table)}`;
    if (where.length) sql += ` WHERE ${and(where)}`;
    return { sql, description: `${startArgs[0].text} (SQLAlchemy) → SQL`, notes: params.notes() };
  }
  const columns = [...model.columns.values()].map((c) => column(model.table, c));
  const select = renderSelect({ columns, from: quoteName(model.table), where, orderBy, limit, offset });
  const sql = count ? `SELECT count(*) AS count_1 FROM (${select}) AS anon_1` : select;
  return { sql, description: `${startArgs[0].text} (SQLAlchemy) → SQL`, notes: params.notes() };

  function columnOf(m: SqlalchemyModel, attr: string): string {
    const c = m.columns.get(attr) ?? fail(`\`${attr}\` is not a mapped column of ${m.name}`);
    return column(m.table, c);
  }

  /** The column of `Post.title` or `"title"` (a key of values), by its mapped attribute's name. */
  function columnName(n: Node): string {
    const attr = n.type === 'string' ? pyString(n) : n.type === 'attribute' && modelName(n.childForFieldName('object')) === model.name ? n.childForFieldName('attribute')!.text : undefined;
    if (attr === undefined) fail(`\`${n.text}\` is not a column of ${model.name}`);
    return model.columns.get(attr!) ?? fail(`\`${attr}\` is not a mapped column of ${model.name}`);
  }

  /** `.values(name="x")`, `.values({User.name: "x"})`, `.values([{…}, {…}])`: column → SQL value, per row. */
  function valueRows(a: Node[]): Array<Map<string, string>> {
    const row = (pairs: Array<[Node, Node]>) => new Map(pairs.map(([k, v]) => [columnName(k), valueSql(pyCodeValue(v), params)]));
    const dictPairs = (d: Node): Array<[Node, Node]> => d.namedChildren.map((p) => (p?.type === 'pair' ? ([p.childForFieldName('key')!, p.childForFieldName('value')!] as [Node, Node]) : fail(`\`${p?.text}\` in the values is not translated`)));
    if (a.length > 0 && a.every((k) => k.type === 'keyword_argument')) {
      return [new Map(a.map((k) => [model.columns.get(k.childForFieldName('name')!.text) ?? fail(`\`${k.childForFieldName('name')!.text}\` is not a mapped column of ${model.name}`), valueSql(pyCodeValue(k.childForFieldName('value')!), params)]))];
    }
    if (a.length !== 1) fail('values() of positional values is not translated');
    if (a[0].type === 'dictionary') return [row(dictPairs(a[0]))];
    if (a[0].type === 'list' && a[0].namedChildren.length > 0 && a[0].namedChildren.every((d) => d?.type === 'dictionary')) return a[0].namedChildren.map((d) => row(dictPairs(d!)));
    return fail(`values held in \`${a[0].text}\` are not translated: only values written out`);
  }

  /** PostgreSQL's `on_conflict_do_nothing(index_elements=[…])` / `on_conflict_do_update(…, set_={…})`, `excluded.<column>` values. */
  function conflictClause(update: boolean, a: Node[]): string {
    const kw = (name: string) => a.find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
    if (a.some((k) => k.type !== 'keyword_argument' || !/^(index_elements|constraint|set_|index_where|where)$/.test(k.childForFieldName('name')!.text))) fail('on_conflict arguments other than index_elements, constraint and set_ are not translated');
    if (kw('index_where') || kw('where')) fail('a conditional ON CONFLICT is not translated');
    const elements = kw('index_elements');
    const constraint = kw('constraint');
    let target = '';
    if (elements) {
      if (elements.type !== 'list' && elements.type !== 'tuple') fail('index_elements held in a variable are not translated');
      target = ` (${elements.namedChildren.map((e) => quoteName(columnName(e!))).join(', ')})`;
    } else if (constraint) target = ` ON CONSTRAINT ${quoteName(pyString(constraint) ?? fail('a constraint that is not a string written out'))}`;
    if (!update) return ` ON CONFLICT${target} DO NOTHING`;
    if (!target) fail('on_conflict_do_update() without index_elements or constraint');
    const set = kw('set_');
    if (set?.type !== 'dictionary') fail('on_conflict_do_update() without set_ written out as a dict');
    const assignments = set!.namedChildren.map((p) => {
      if (p?.type !== 'pair') return fail(`\`${p?.text}\` in set_ is not translated`);
      const value = p.childForFieldName('value')!;
      const excluded = value.type === 'attribute' && /(^|\.)excluded$/.test(value.childForFieldName('object')!.text) ? value.childForFieldName('attribute')!.text : undefined;
      const sqlValue = excluded !== undefined ? `EXCLUDED.${quoteName(model.columns.get(excluded) ?? excluded)}` : valueSql(pyCodeValue(value), params);
      return `${quoteName(columnName(p.childForFieldName('key')!))} = ${sqlValue}`;
    });
    return ` ON CONFLICT${target} DO UPDATE SET ${assignments.join(', ')}`;
  }

  /** `Post.title` → its column; anything else is not a column of the model. */
  function columnRef(n: Node): string {
    if (n.type === 'attribute' && modelName(n.childForFieldName('object')) === model.name) return columnOf(model, n.childForFieldName('attribute')!.text);
    return fail(`\`${n.text}\` is not a column of ${model.name}`);
  }

  function compare(col: string, op: string, value: Node): string {
    const v = pyCodeValue(value);
    if ('literal' in v && v.literal === null) {
      if (op === '=') return `${col} IS NULL`;
      if (op === '<>') return `${col} IS NOT NULL`;
    }
    return `${col} ${op} ${valueSql(v, params)}`;
  }

  function condition(n: Node): string {
    if (n.type === 'parenthesized_expression' && n.namedChildren[0]) return condition(n.namedChildren[0]);
    if (n.type === 'comparison_operator') {
      const kids = n.namedChildren.filter((c): c is Node => !!c);
      const op = n.children.find((c) => c && !c.isNamed)?.text ?? '';
      if (kids.length !== 2 || !COMPARISONS[op]) fail(`the comparison \`${n.text}\` is not translated`);
      return compare(columnRef(kids[0]), COMPARISONS[op], kids[1]);
    }
    if (n.type === 'unary_operator' && n.text.startsWith('~')) return not(condition(n.childForFieldName('argument')!));
    if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      const a = args(n);
      const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
      if (/^(and_|or_|not_)$/.test(fn.text.split('.').pop()!)) {
        const parts = a.map(condition);
        return name === 'and_' ? and(parts) : name === 'or_' ? or(parts) : not(and(parts));
      }
      if (fn.type === 'attribute') {
        const col = columnRef(fn.childForFieldName('object')!);
        if (/^(in_|not_in|is_|is_not|isnot|like|ilike)$/.test(name) && !a[0]) fail(`\`${n.text}\` compares with nothing`);
        switch (name) {
          case 'in_':
          case 'not_in': {
            const list = a[0];
            const items = list && (list.type === 'list' || list.type === 'tuple') ? list.namedChildren.filter((c): c is Node => !!c) : undefined;
            const sqlList = items ? `(${items.map((i) => valueSql(pyCodeValue(i), params)).join(', ')})` : undefined;
            if (name === 'in_') return sqlList ? `${col} IN ${sqlList}` : `${col} = ANY(${params.add(list!.text)})`;
            return sqlList ? `(${col} NOT IN ${sqlList})` : `${col} <> ALL(${params.add(list!.text)})`;
          }
          case 'is_': return compare(col, '=', a[0]);
          case 'is_not': case 'isnot': return compare(col, '<>', a[0]);
          case 'like': return `${col} LIKE ${valueSql(pyCodeValue(a[0]), params)}`;
          case 'ilike': return `${col} ILIKE ${valueSql(pyCodeValue(a[0]), params)}`;
          default:
        }
      }
    }
    return fail(`the condition \`${n.text}\` is not translated`);
  }

  function orderTerm(n: Node): string {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
      if (fn.type === 'attribute' && (name === 'desc' || name === 'asc') && args(n).length === 0) return `${columnRef(fn.childForFieldName('object')!)} ${name.toUpperCase()}`;
      if ((name === 'desc' || name === 'asc') && args(n).length === 1) return `${columnRef(args(n)[0])} ${name.toUpperCase()}`;
    }
    return columnRef(n);
  }
}
