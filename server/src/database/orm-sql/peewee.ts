/**
 * Peewee queries → SQL: `Model.select(…)` with where/filter (comparisons of `Model.field`, `&`,
 * `|`, `~`, `<<` and `in_`/`not_in`, `is_null`, `contains`/`startswith`/`endswith`, `between`, `%`
 * and `**`), join (on the foreign key between the models, or `on=`), switch, order_by (`.desc()`,
 * `-Model.field`), group_by/having, distinct, `fn.COUNT(…)` and other SQL functions (with
 * `.alias()`) in select, having and order_by, limit/offset/paginate, and the terminals
 * get/first/count/exists; and
 * `Model.get(…)`, `get_or_none(…)`, `get_by_id(…)`. The models come from the files that declare
 * them (peewee-tables.ts reads them as the DDL does).
 */
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { args } from '../../languages/python/tree';
import { moduleClasses } from '../schema/python-classes';
import { peeweeTables, type PeeweeField, type PeeweeTable } from '../schema/peewee-tables';
import type { OrmSources } from './orm-call-sql';
import { pyCodeValue, pyConstant } from './python-values';
import { and, column, literal, not, or, Parameters, quoteName, renderInsert, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';

/** Peewee models near a file: the workspace index's, the file's own, the modules it imports relatively, and models.py above it. */
export class PeeweeModels {
  private tables?: PeeweeTable[];

  constructor(private readonly file: string, private readonly text: string, private readonly root: Node, private readonly sources: OrmSources) {}

  model(name: string): PeeweeTable | undefined {
    this.tables ??= this.read(name);
    return this.tables.find((t) => t.className === name);
  }

  private read(name: string): PeeweeTable[] {
    const files = [this.file, ...this.sources.modelFiles('peewee', name), ...relativeImports(this.file, this.root)];
    for (let dir = path.dirname(this.file), i = 0; i < 3; dir = path.dirname(dir), i++) files.push(path.join(dir, 'models.py'), path.join(dir, 'models', '__init__.py'));
    const modules = [];
    for (const file of new Set(files)) {
      const text = file === this.file ? this.text : this.sources.read(file);
      const root = file === this.file ? this.root : text === undefined ? undefined : this.sources.pythonTree(file, text);
      if (root) modules.push({ classes: moduleClasses(root), source: file });
    }
    return peeweeTables(modules, { lenient: true });
  }
}

/** `from .models import Tweet`, `from ..db import BaseModel`: the files those modules are. */
function relativeImports(file: string, root: Node): string[] {
  const out: string[] = [];
  for (const st of root.namedChildren) {
    if (st?.type !== 'import_from_statement') continue;
    const m = /^(\.+)([\w.]*)$/.exec(st.childForFieldName('module_name')?.text ?? '');
    if (!m) continue;
    let dir = path.dirname(file);
    for (let i = 1; i < m[1].length; i++) dir = path.dirname(dir);
    const base = m[2] ? path.join(dir, ...m[2].split('.')) : dir;
    out.push(`${base}.py`, path.join(base, '__init__.py'));
  }
  return out;
}

const COMPARISONS: Record<string, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
/** The writes translated (write() in translatePeeweeQuery). */
const WRITES = /^(update|delete|insert|insert_many|create|delete_by_id|get_or_create)$/;
/** Methods that run the query or shape its rows, without changing its SQL. */
const NO_SQL = /^(execute|iterator|dicts|tuples|namedtuples|objects|all)$/;

export function translatePeeweeQuery(node: Node, models: PeeweeModels): OrmTranslation {
  const text = node.text.replace(/\s*\n\s*/g, ' ');
  const fail = (what: string): never => {
    throw new UntranslatableCall(text, what);
  };
  const calls = [node, ...node.descendantsOfType('call').filter((c): c is Node => !!c)];
  const start = calls
    .filter((c) => c.type === 'call' && /^[A-Z]\w*\.(select|get|get_or_none|get_by_id|filter|update|delete|insert|insert_many|create|delete_by_id|get_or_create)$/.test(c.childForFieldName('function')?.text ?? ''))
    .sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex)
    .pop() ?? fail('no Model.select(), Model.get() or Model.get_by_id() in this expression');
  const [modelName, first] = start.childForFieldName('function')!.text.split('.');
  const model = models.model(modelName) ?? fail(`no Peewee model \`${modelName}\` found (looked in this file, the modules it imports and models.py above it)`);
  const params = new Parameters();
  const selected: string[] = [];
  const joins: string[] = [];
  const joined: PeeweeTable[] = [model];
  const where: string[] = [];
  const groupBy: string[] = [];
  const having: string[] = [];
  let distinct = false;
  const orderBy: string[] = [];
  let limit: string | undefined;
  let offset: string | undefined;
  let wrap: 'count' | 'exists' | undefined;
  let context = model;

  const startArgs = args(start);
  if (WRITES.test(first)) return write();
  switch (first) {
    case 'select':
      // Read once the chain is: a field of a model joined later (`select(User, fn.COUNT(Tweet.id)).join(Tweet)`).
      break;
    case 'filter':
      where.push(...startArgs.map(keywordFilter));
      break;
    case 'get':
    case 'get_or_none':
      where.push(...startArgs.map((a) => (a.type === 'keyword_argument' ? keywordFilter(a) : conditionOf(a))));
      limit = '1';
      break;
    case 'get_by_id': {
      const pk = model.fields.find((f) => f.primaryKey) ?? fail(`${model.className} has no single-column primary key`);
      if (startArgs.length !== 1) fail('get_by_id() takes the primary key');
      where.push(compare(column(model.table, pk.column), '=', startArgs[0]));
      limit = '1';
      break;
    }
    default:
  }

  for (let n = start; n.parent?.type === 'attribute' && n.parent.parent?.type === 'call'; n = n.parent.parent) {
    const method = n.parent.childForFieldName('attribute')!.text;
    const a = args(n.parent.parent);
    if (NO_SQL.test(method)) continue;
    switch (method) {
      case 'where':
        where.push(...a.map(conditionOf));
        break;
      case 'filter':
        where.push(...a.map(keywordFilter));
        break;
      case 'join':
        join(a);
        break;
      case 'group_by':
        groupBy.length = 0;
        for (const x of a) groupBy.push(...selection(x, false));
        break;
      case 'having':
        having.push(...a.map(conditionOf));
        break;
      case 'distinct':
        if (a.length) fail('distinct() on expressions (DISTINCT ON) is not translated');
        distinct = true;
        break;
      case 'switch':
        context = a[0] ? tableOf(a[0]) : model;
        break;
      case 'order_by':
        orderBy.length = 0;
        orderBy.push(...a.map(orderTerm));
        break;
      case 'limit':
        limit = a[0] ? valueSql(pyCodeValue(a[0]), params) : undefined;
        break;
      case 'offset':
        offset = a[0] ? valueSql(pyCodeValue(a[0]), params) : undefined;
        break;
      case 'paginate': {
        // Peewee: LIMIT paginate_by OFFSET (page - 1) * paginate_by, paginate_by 20 unless given.
        const page = a[0] ?? fail('paginate() takes the page');
        const byNode = a[1]?.type === 'keyword_argument' ? a[1].childForFieldName('value') : a[1];
        const by = byNode ? pyConstant(byNode) : 20;
        if (typeof by !== 'number') fail('paginate() with a page size computed at run time is not translated');
        const p = pyConstant(page);
        limit = String(by);
        offset = typeof p === 'number' ? String(Math.max(p - 1, 0) * (by as number)) : params.add(`(${page.text} - 1) * ${by}`);
        break;
      }
      case 'get':
      case 'first':
        limit = '1';
        break;
      case 'count':
        wrap = 'count';
        break;
      case 'exists':
        wrap = 'exists';
        break;
      default:
        fail(`\`.${method}()\` is not translated`);
    }
  }
  if (first === 'select') for (const a of startArgs) selected.push(...selection(a));
  const columns = selected.length ? selected : model.fields.map((f) => column(model.table, f.column));
  if (wrap === 'exists') {
    return { sql: renderSelect({ columns: ['1'], from: quoteName(model.table), joins, where, limit: '1' }), description: `${modelName} (Peewee) → SQL`, notes: params.notes() };
  }
  const select = renderSelect({ columns, distinct, from: quoteName(model.table), joins, where, groupBy, having, orderBy, limit, offset });
  const sql = wrap === 'count' ? `SELECT COUNT(1) FROM (${select}) AS "_wrapped"` : select;
  return { sql, description: `${modelName} (Peewee) → SQL`, notes: params.notes() };

  /**
   * `Model.update(…).where(…)`, `Model.delete().where(…)`, `Model.insert(…)`/`insert_many([…])`
   * (with `on_conflict_ignore()`), `Model.create(…)` and `delete_by_id(…)`: the statement Peewee
   * sends to PostgreSQL, an INSERT returning the primary key as Peewee asks for it.
   */
  function write(): OrmTranslation {
    const description = `${modelName}.${first} (Peewee) → SQL`;
    const pk = model.fields.find((f) => f.primaryKey);
    // The values first: their placeholders come before the filter's, as the SQL text has them.
    const given = first === 'update' ? assignments(startArgs) : undefined;
    const rows = /^(insert|insert_many|create)$/.test(first) ? insertRows() : undefined;
    let ignore = false;
    for (let n = start; n.parent?.type === 'attribute' && n.parent.parent?.type === 'call'; n = n.parent.parent) {
      const method = n.parent.childForFieldName('attribute')!.text;
      const a = args(n.parent.parent);
      if (method === 'execute') continue;
      if (method === 'where' && (first === 'update' || first === 'delete')) where.push(...a.map(conditionOf));
      else if (method === 'on_conflict_ignore' && /^insert/.test(first)) ignore = true;
      else fail(`\`.${method}()\` on ${first}() is not translated`);
    }
    const table = quoteName(model.table);
    const filter = () => (where.length ? ` WHERE ${and(where)}` : '');
    switch (first) {
      case 'update': {
        if (given!.size === 0) fail('update() with no values');
        // In the model's order, as Peewee lists them.
        const set = new Map(model.fields.filter((f) => given!.has(f.column)).map((f) => [f.column, given!.get(f.column)!]));
        return { sql: `UPDATE ${table} SET ${[...set].map(([c, v]) => `${quoteName(c)} = ${v}`).join(', ')}${filter()}`, description, notes: params.notes() };
      }
      case 'delete':
        if (startArgs.length) fail('delete() takes no arguments');
        return { sql: `DELETE FROM ${table}${filter()}`, description, notes: params.notes() };
      case 'delete_by_id':
        if (!pk || startArgs.length !== 1) fail('delete_by_id() of a model with a single-column primary key takes the key');
        return { sql: `DELETE FROM ${table} WHERE ${compare(column(model.table, pk!.column), '=', startArgs[0])}`, description, notes: params.notes() };
      case 'get_or_create': {
        // Its get; the INSERT follows only when that finds nothing.
        const lookups = startArgs.filter((x) => x.type !== 'keyword_argument' || x.childForFieldName('name')!.text !== 'defaults');
        const select = renderSelect({ columns: model.fields.map((f) => column(model.table, f.column)), from: table, where: lookups.map(keywordFilter), limit: '1' });
        return { sql: select, description, notes: params.notes() };
      }
      default: {
        // insert, insert_many, create
        const insert = renderInsert(table, rows!, quoteName, (v) => v) ?? fail('rows of different fields in one insert_many() are not translated');
        return { sql: `${insert}${ignore ? ' ON CONFLICT DO NOTHING' : ''}${pk ? ` RETURNING ${column(model.table, pk.column)}` : ''}`, description, notes: params.notes() };
      }
    }
  }

  /** The rows of an insert, with the defaults Peewee adds. */
  function insertRows(): Array<Map<string, string>> {
    let rows: Array<Map<string, string>>;
    if (first === 'insert_many') {
      const list = startArgs[0];
      if (startArgs.length !== 1 || list.type !== 'list' || list.namedChildren.length === 0 || !list.namedChildren.every((d) => d?.type === 'dictionary')) fail(`insert_many() of rows held in \`${list?.text ?? ''}\` is not translated: only a list of dicts written out`);
      rows = list.namedChildren.map((d) => assignments([d!]));
    } else rows = [assignments(startArgs)];
    if (rows.some((r) => r.size === 0)) fail(`${first}() with no values is not translated`);
    // Peewee adds the fields with a default the row does not give, and lists the columns in the model's order.
    rows = rows.map((r) => {
      const withDefaults = new Map<string, string>();
      for (const f of model.fields) {
        const given = r.get(f.column);
        if (given !== undefined) withDefaults.set(f.column, given);
        else if (f.default !== undefined) withDefaults.set(f.column, defaultValue(f));
      }
      return withDefaults;
    });
    return rows;
  }

  /** `field=value` keywords or one `{Model.field: value, 'field': value}` dict → column → SQL value (a field's arithmetic too: `count=Model.count + 1`). */
  function assignments(a: Node[]): Map<string, string> {
    const out = new Map<string, string>();
    const fieldNamed = (name: string) => model.fields.find((f) => f.attribute === name) ?? model.fields.find((f) => !!f.references && f.column === name) ?? fail(`\`${name}\` is not a field of ${model.className}`);
    const assign = (key: Node, v: Node) => {
      const ref = key.type === 'attribute' ? fieldRef(key) : undefined;
      const name = ref ? ref.field.attribute : pyConstant(key);
      if (typeof name !== 'string') fail(`the key \`${key.text}\` is not translated`);
      out.set(fieldNamed(name as string).column, setValue(v));
    };
    for (const x of a) {
      if (x.type === 'keyword_argument') out.set(fieldNamed(x.childForFieldName('name')!.text).column, setValue(x.childForFieldName('value')!));
      else if (x.type === 'dictionary') for (const p of x.namedChildren) p?.type === 'pair' ? assign(p.childForFieldName('key')!, p.childForFieldName('value')!) : fail(`\`${p?.text}\` in the values is not translated`);
      else fail(`values held in \`${x.text}\` are not translated: only values written out`);
    }
    return out;
  }

  /** A value to write: a field (`Model.f`), arithmetic on one (`Model.count + 1`; `+` on text is `||`), else a value. */
  function setValue(v: Node): string {
    const left = v.type === 'binary_operator' && /^[-+*/]$/.test(v.childForFieldName('operator')?.text ?? '') ? fieldRef(v.childForFieldName('left')!) : undefined;
    if (left) {
      const op = v.childForFieldName('operator')!.text;
      const text = /^(VARCHAR|TEXT|CHAR)/.test(left.field.type);
      return `(${column(left.table.table, left.field.column)} ${op === '+' && text ? '||' : op} ${value(v.childForFieldName('right')!)})`;
    }
    return value(v);
  }

  /** A field's default: inlined when a literal, else a placeholder for what the code computes (`datetime.datetime.now`). */
  function defaultValue(f: PeeweeField): string {
    const text = f.default!;
    if (/^(True|False)$/.test(text)) return text.toLowerCase();
    if (text === 'None') return 'NULL';
    if (/^-?\d+(\.\d+)?$/.test(text)) return text;
    const s = /^(?:'([^'\\]*)'|"([^"\\]*)")$/.exec(text);
    if (s) return literal(s[1] ?? s[2]);
    return params.add(`${model.className}.${f.attribute}'s default, ${text}`);
  }

  function tableOf(n: Node): PeeweeTable {
    const found = joined.find((t) => t.className === n.text) ?? (/^[A-Z]\w*$/.test(n.text) ? models.model(n.text) : undefined);
    return found ?? fail(`\`${n.text}\` is not a Peewee model`);
  }

  /** `Model.field` → the table and field, for the models of this query. */
  function fieldRef(n: Node): { table: PeeweeTable; field: PeeweeField } | undefined {
    if (n.type !== 'attribute') return undefined;
    const owner = n.childForFieldName('object')?.text ?? '';
    const table = joined.find((t) => t.className === owner);
    if (!table) return undefined;
    const attr = n.childForFieldName('attribute')!.text;
    // `Tweet.user` and `Tweet.user_id` (the foreign key's id accessor) are the same column.
    const field = table.fields.find((f) => f.attribute === attr) ?? table.fields.find((f) => !!f.references && f.column === attr);
    return field ? { table, field } : fail(`\`${attr}\` is not a field of ${table.className}`);
  }

  function columnRef(n: Node): string {
    const ref = fieldRef(n) ?? fail(`\`${n.text}\` is not a field of a model of this query`);
    return column(ref.table.table, ref.field.column);
  }

  /** A selected (or grouped) model is all its columns; `add`: a model selected joins the query. */
  function selection(n: Node, add = true): string[] {
    if (/^[A-Z]\w*$/.test(n.text) && n.type === 'identifier') {
      const t = tableOf(n);
      if (add && !joined.includes(t)) joined.push(t);
      return t.fields.map((f) => column(t.table, f.column));
    }
    return [operand(n)];
  }

  /**
   * A field, a SQL function of Peewee's `fn` (`fn.COUNT(Tweet.id)`, `fn.LOWER(User.username)`), a
   * value, or one of those with `.alias('n')`.
   */
  function operand(n: Node): string {
    if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      const a = args(n);
      if (fn.type === 'attribute' && fn.childForFieldName('attribute')!.text === 'alias' && fn.childForFieldName('object')) {
        const name = a[0] && pyConstant(a[0]);
        if (typeof name !== 'string') fail(`\`${n.text}\`: an alias computed at run time is not translated`);
        return `${operand(fn.childForFieldName('object')!)} AS ${quoteName(name as string)}`;
      }
      if (fn.type === 'attribute' && fn.childForFieldName('object')?.text === 'fn') {
        const name = fn.childForFieldName('attribute')!.text;
        if (!/^[A-Za-z_]\w*$/.test(name) || a.some((x) => x.type === 'keyword_argument')) fail(`the function \`${n.text}\` is not translated`);
        return `${name.toUpperCase()}(${a.map(operand).join(', ')})`;
      }
    }
    return fieldRef(n) ? columnRef(n) : value(n);
  }

  function join(a: Node[]): void {
    const target = a[0] && a[0].type !== 'keyword_argument' ? tableOf(a[0]) : fail('join() takes the model to join');
    if (!joined.includes(target)) joined.push(target);
    const kw = (name: string) => a.find((x) => x.type === 'keyword_argument' && x.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
    const typeNode = kw('join_type') ?? a.find((x, i) => i === 1 && x.type !== 'keyword_argument');
    const joinType = typeNode ? /LEFT_OUTER/.test(typeNode.text) ? 'LEFT OUTER JOIN' : /^JOIN\.INNER$/.test(typeNode.text) ? 'INNER JOIN' : fail(`the join type \`${typeNode.text}\` is not translated`) : 'INNER JOIN';
    const on = kw('on');
    // `on=` a condition, or one of the foreign keys between the two (`on=Relationship.to_user`); else
    // the foreign key from the current model to the target, or back.
    const onField = on && fieldRef(on);
    let condition: string;
    if (on && !onField) condition = conditionOf(on);
    else {
      const fk = onField?.field.references ? onField : undefined;
      if (onField && !fk) fail(`\`on=${on!.text}\` is not a foreign key`);
      const out = fk?.table === context ? fk.field : fk ? undefined : context.fields.find((f) => f.references?.model === target.className);
      const back = fk?.table === target ? fk.field : fk ? undefined : target.fields.find((f) => f.references?.model === context.className);
      if (out) condition = `${column(context.table, out.column)} = ${column(target.table, referencedColumn(target, out))}`;
      else if (back) condition = `${column(target.table, back.column)} = ${column(context.table, referencedColumn(context, back))}`;
      else condition = fail(`no foreign key between ${context.className} and ${target.className}`);
    }
    joins.push(`${joinType} ${quoteName(target.table)} ON (${condition})`);
    context = target;
  }

  function referencedColumn(t: PeeweeTable, fk: PeeweeField): string {
    const f = fk.references?.attribute ? t.fields.find((x) => x.attribute === fk.references!.attribute) : t.fields.find((x) => x.primaryKey);
    return f?.column ?? fail(`the field ${fk.attribute} references is not known`);
  }

  function value(n: Node): string {
    const ref = fieldRef(n);
    return ref ? column(ref.table.table, ref.field.column) : valueSql(pyCodeValue(n), params);
  }

  function compare(col: string, op: string, v: Node): string {
    const c = pyConstant(v);
    if (c === null && op === '=') return `(${col} IS NULL)`;
    if (c === null && op === '<>') return `(${col} IS NOT NULL)`;
    return `(${col} ${op} ${value(v)})`;
  }

  function keywordFilter(n: Node): string {
    if (n.type !== 'keyword_argument') return fail('filter() takes field=value arguments');
    const name = n.childForFieldName('name')!.text;
    if (name.includes('__')) fail(`the lookup \`${name}\` is not translated`);
    const f = context.fields.find((x) => x.attribute === name) ?? fail(`\`${name}\` is not a field of ${context.className}`);
    return compare(column(context.table, f.column), '=', n.childForFieldName('value')!);
  }

  /** `col IN (…)` for a literal list, `col = ANY($n)` for a list computed at run time (NOT IN: `<> ALL`). */
  function inList(col: string, n: Node, negated: boolean): string {
    const items = n.type === 'list' || n.type === 'tuple' ? n.namedChildren.filter((c): c is Node => !!c) : undefined;
    if (items) return `(${col} ${negated ? 'NOT IN' : 'IN'} (${items.map((i) => valueSql(pyCodeValue(i), params)).join(', ')}))`;
    return `(${col} ${negated ? '<> ALL' : '= ANY'}(${params.add(n.text)}))`;
  }

  /** A LIKE pattern around a value: inlined for a literal, else a placeholder for the pattern the code builds. */
  function pattern(v: Node | undefined, before: string, after: string): string {
    if (!v) return fail('the text to match is missing');
    const c = pyConstant(v);
    return typeof c === 'string' ? literal(`${before}${c}${after}`) : params.add(`f"${before}{${v.text}}${after}"`);
  }

  function conditionOf(n: Node): string {
    if (n.type === 'parenthesized_expression' && n.namedChildren[0]) return conditionOf(n.namedChildren[0]);
    if (n.type === 'comparison_operator') {
      const kids = n.namedChildren.filter((c): c is Node => !!c);
      const op = n.children.find((c) => c && !c.isNamed)?.text ?? '';
      if (kids.length !== 2 || !COMPARISONS[op]) fail(`the comparison \`${n.text}\` is not translated`);
      return compare(kids[0].type === 'call' ? operand(kids[0]) : columnRef(kids[0]), COMPARISONS[op], kids[1]);
    }
    if (n.type === 'binary_operator') {
      const op = n.childForFieldName('operator')?.text;
      const left = n.childForFieldName('left')!;
      const right = n.childForFieldName('right')!;
      if (op === '&') return and([conditionOf(left), conditionOf(right)]);
      if (op === '|') return `(${or([conditionOf(left), conditionOf(right)])})`;
      if (op === '<<') return inList(columnRef(left), right, false);
      if (op === '%') return `(${columnRef(left)} LIKE ${value(right)})`;
      if (op === '**') return `(${columnRef(left)} ILIKE ${value(right)})`;
    }
    if (n.type === 'unary_operator' && n.text.startsWith('~')) return not(conditionOf(n.childForFieldName('argument')!));
    if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      const a = args(n);
      if (fn.type === 'attribute') {
        const col = columnRef(fn.childForFieldName('object')!);
        switch (fn.childForFieldName('attribute')!.text) {
          case 'in_': return inList(col, a[0] ?? fail('in_() takes a list'), false);
          case 'not_in': return inList(col, a[0] ?? fail('not_in() takes a list'), true);
          case 'is_null': return a[0] && pyConstant(a[0]) === false ? `(${col} IS NOT NULL)` : `(${col} IS NULL)`;
          case 'contains': return `(${col} ILIKE ${pattern(a[0], '%', '%')})`;
          case 'startswith': return `(${col} ILIKE ${pattern(a[0], '', '%')})`;
          case 'endswith': return `(${col} ILIKE ${pattern(a[0], '%', '')})`;
          case 'between': return `(${col} BETWEEN ${value(a[0])} AND ${value(a[1])})`;
          default:
        }
      }
    }
    return fail(`the condition \`${n.text}\` is not translated`);
  }

  function orderTerm(n: Node): string {
    if (n.type === 'unary_operator') {
      const arg = n.childForFieldName('argument')!;
      if (n.text.startsWith('-')) return `${columnRef(arg)} DESC`;
      if (n.text.startsWith('+')) return `${columnRef(arg)} ASC`;
    }
    if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : '';
      if ((name === 'desc' || name === 'asc') && args(n).length === 0) {
        const of = fn.childForFieldName('object')!;
        return `${of.type === 'call' ? operand(of) : columnRef(of)} ${name.toUpperCase()}`;
      }
      if (fn.type === 'attribute' && fn.childForFieldName('object')?.text === 'fn') return operand(n);
    }
    return columnRef(n);
  }
}
