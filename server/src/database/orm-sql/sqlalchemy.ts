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
import { and, column, not, or, Parameters, quoteName, renderSelect, valueSql } from './sql-builder';
import type { SqlalchemyModel, SqlalchemyModels } from './sqlalchemy-models';
import { UntranslatableCall, type OrmTranslation } from './translation';

const COMPARISONS: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

export function translateSqlalchemyQuery(node: Node, models: SqlalchemyModels): OrmTranslation {
  const text = node.text.replace(/\s*\n\s*/g, ' ');
  const fail = (what: string): never => {
    throw new UntranslatableCall(text, what);
  };
  // `Post`, or `models.Post` (OpenStack's services import the models module).
  const modelName = (n: Node | null | undefined): string | undefined => (n?.type === 'identifier' ? n.text : n?.type === 'attribute' ? n.childForFieldName('attribute')?.text : undefined);
  // select(Model), db.select(Model) (Flask-SQLAlchemy), session.query(Model); or Flask-SQLAlchemy's `Model.query`.
  const call = [node, ...node.descendantsOfType('call').filter((c): c is Node => !!c)].find((c) => c.type === 'call' && /^(\w+\.)*(query|select)$/.test(c.childForFieldName('function')?.text ?? ''));
  const modelQuery = call
    ? undefined
    : [node, ...node.descendantsOfType('attribute').filter((c): c is Node => !!c)].find((a) => a.type === 'attribute' && a.childForFieldName('attribute')?.text === 'query' && /^[A-Z]/.test(modelName(a.childForFieldName('object')) ?? ''));
  const start = call ?? modelQuery;
  if (!start) fail('no select(Model), session.query(Model) or Model.query in this expression');
  const startArgs = call ? args(call) : [modelQuery!.childForFieldName('object')!];
  const name = startArgs.length === 1 ? modelName(startArgs[0]) : undefined;
  if (!name) fail('only select(Model)/query(Model) of one model class is translated');
  const model = models.model(name!) ?? fail(`no SQLAlchemy model \`${startArgs[0].text}\` with a __tablename__ found`);
  const params = new Parameters();
  const where: string[] = [];
  const orderBy: string[] = [];
  let limit: string | undefined;
  let offset: string | undefined;
  let count = false;
  let write: { kind: 'update'; values: Node } | { kind: 'delete' } | undefined;

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
