/**
 * Prisma Client calls → the SQL the query engine sends to PostgreSQL: findMany, findFirst,
 * findUnique (and their OrThrow forms), count, and the writes create (scalars and `connect`),
 * createMany and createManyAndReturn (rows written out; `skipDuplicates` is ON CONFLICT DO
 * NOTHING), upsert (the database upsert Prisma sends when the call allows one), update,
 * updateMany, updateManyAndReturn, delete and deleteMany (`data` of scalars and atomic number operations). Names come from the schema (`@@map`, `@map`); every
 * scalar column is selected, as Prisma does. Quirks kept on purpose, since plans depend on them:
 * findUnique/findFirst send `LIMIT 1`; a `cursor` becomes a comparison with a subquery that reads
 * the cursor row; with a cursor over an ordering that is not unique Prisma sends no LIMIT at all
 * (it applies `take` in memory: prisma/orm#4490); `include` is one more query per relation.
 */
import ts from 'typescript';
import type { PrismaField } from '../schema/prisma-schema';
import type { PrismaModels } from './prisma-models';
import { and, column, literal, not, or, Parameters, quoteName, renderInsert, renderSelect, valueSql, type CodeValue } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import { codeValue, objectEntries, oneLine, unwrap } from './typescript-values';

const METHODS = new Set(['findMany', 'findFirst', 'findFirstOrThrow', 'findUnique', 'findUniqueOrThrow', 'count', 'create', 'createMany', 'createManyAndReturn', 'upsert', 'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany']);
const WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'upsert', 'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany']);
/** The options of each write (the reads take where, orderBy, skip, take, cursor, select, include). */
const WRITE_OPTIONS: Record<string, readonly string[]> = {
  createMany: ['data', 'skipDuplicates'],
  createManyAndReturn: ['data', 'skipDuplicates', 'select'],
  upsert: ['where', 'create', 'update', 'select', 'include'],
};
/** Defaults the client computes and sends (the database's own, as `now()` and `autoincrement()`, it leaves to the database). */
const CLIENT_DEFAULTS = /^(uuid|cuid|nanoid|ulid)\b/;
/** Atomic number operations of `data`: `{ views: { increment: 1 } }`. */
const NUMBER_OPS: Record<string, string> = { increment: '+', decrement: '-', multiply: '*', divide: '/' };
const STRING_OPS: Record<string, (v: string) => string> = { contains: (v) => `%${v}%`, startsWith: (v) => `${v}%`, endsWith: (v) => `%${v}` };

interface OrderKey {
  field: PrismaField;
  desc: boolean;
  nulls?: 'first' | 'last';
}

export function translatePrismaCall(call: ts.CallExpression, models: PrismaModels): OrmTranslation {
  const callee = oneLine(call.expression.getText());
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  if (!ts.isPropertyAccessExpression(call.expression) || !ts.isPropertyAccessExpression(call.expression.expression)) fail('not a `prisma.<model>.<method>(…)` call');
  const access = call.expression as ts.PropertyAccessExpression;
  const method = access.name.text;
  const delegate = (access.expression as ts.PropertyAccessExpression).name.text;
  if (!METHODS.has(method)) fail(`\`${method}\` is not translated (findMany, findFirst, findUnique, count, create, createMany, upsert, update, updateMany, delete, deleteMany and their AndReturn forms are)`);
  const model = models.delegate(delegate) ?? fail(`no model \`${delegate}\` in schema.prisma`);
  const notes: string[] = [];
  const params = new Parameters();
  const args = call.arguments[0] ? objectEntries(call.arguments[0], 'the arguments', notes, fail) : new Map<string, ts.Expression>();
  const write = WRITES.has(method);
  for (const key of args.keys()) {
    if (!(write ? WRITE_OPTIONS[method] ?? ['where', 'data', 'select'] : ['where', 'orderBy', 'skip', 'take', 'cursor', 'select', 'include']).includes(key)) fail(`the \`${key}\` option${write ? ` of ${method}` : ''} is not translated`);
  }
  const table = models.table(model);
  const col = (f: PrismaField): string => column(table, models.column(f));
  const scalarField = (name: string): PrismaField => {
    const f = models.field(model, name) ?? fail(`\`${name}\` is not a field of model ${model.name}`);
    if (models.isRelation(f)) fail(`filtering or ordering on the relation \`${name}\` is not translated`);
    return f;
  };

  // Columns: every scalar, or the scalars of `select`; relations in select/include are more queries.
  let selected = models.scalars(model);
  const related: Array<{ field: PrismaField; options: ts.Expression }> = [];
  const select = args.get('select');
  if (select) {
    selected = [];
    for (const [name, value] of objectEntries(select, '`select`', notes, fail)) {
      if (name === '_count') fail('`_count` in select (relation counts) is not translated');
      const f = models.field(model, name) ?? fail(`\`${name}\` in select is not a field of model ${model.name}`);
      if (unwrap(value).kind === ts.SyntaxKind.FalseKeyword) continue;
      if (models.isRelation(f)) related.push({ field: f, options: value });
      else selected.push(f);
    }
  }
  const include = args.get('include');
  if (include) {
    for (const [name, value] of objectEntries(include, '`include`', notes, fail)) {
      if (name === '_count') fail('`_count` in include is not translated');
      const f = models.field(model, name) ?? fail(`\`${name}\` in include is not a field of model ${model.name}`);
      if (unwrap(value).kind !== ts.SyntaxKind.FalseKeyword) related.push({ field: f, options: value });
    }
  }

  // Placeholders numbered in the order of the text: an update's assignments come before its conditions.
  const assignments = method.startsWith('update') ? dataAssignments(args.get('data') ?? fail(`${method} without \`data\``)) : [];
  const where: string[] = [];
  const whereArg = args.get('where');
  // An upsert's where is its conflict target and the match of its update (upsert() below).
  if (whereArg && method !== 'upsert') where.push(...whereConditions(whereArg));
  const returning = (): string => ` RETURNING ${selected.map((f) => quoteName(models.column(f))).join(', ')}`;
  if (method === 'create') {
    if (related.length) fail('relations in the select of create are not translated');
    const values = createValues(args.get('data') ?? fail('create without `data`'));
    const sql = `${renderInsert(quoteName(table), [new Map(values)], quoteName, (v) => v)}${returning()}`;
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }
  if (method === 'createMany' || method === 'createManyAndReturn') {
    if (related.length) fail(`relations in the select of ${method} are not translated`);
    const sql = insertRows(args.get('data') ?? fail(`${method} without \`data\``), args.get('skipDuplicates'));
    // createMany returns a count; createManyAndReturn the rows.
    return { sql: method === 'createMany' ? sql : sql + returning(), description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }
  if (method === 'upsert') return upsert();
  if (write) {
    if (related.length) fail(`relations in the select of ${method} are not translated`);
    const target = quoteName(table);
    let sql = method.startsWith('update') ? `UPDATE ${target} SET ${assignments.join(', ')}` : `DELETE FROM ${target}`;
    if (where.length) sql += ` WHERE ${and(where)}`;
    // update and delete return the row (Prisma reads it back), updateManyAndReturn the rows; updateMany and deleteMany a count.
    if (!method.endsWith('Many')) sql += returning();
    if (method === 'update' || method === 'delete') notes.push(`${method}() needs the row to exist: Prisma raises P2025 when \`where\` matches none`);
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }
  let order = args.has('orderBy') ? orderKeys(args.get('orderBy')!) : [];
  const cursor = args.get('cursor');
  let cursorUniqueOrder = true;
  if (cursor) {
    if (method === 'count') fail('`cursor` in count is not translated');
    const cursorFields = [...objectEntries(cursor, '`cursor`', notes, fail)].map(([name, value]) => ({ field: scalarField(name), value }));
    if (!models.isUnique(model, cursorFields.map((c) => c.field.name))) fail('the cursor is not a unique field');
    // Without orderBy, a cursor orders by the primary key.
    if (order.length === 0) {
      order = models.primaryKey(model).map((f) => ({ field: f, desc: false }));
      notes.push(`no orderBy: Prisma orders a cursor page by the primary key (${order.map((k) => k.field.name).join(', ')})`);
    }
    const match = cursorFields.map((c) => `${col(c.field)} = ${valueSql(codeValue(c.value), params)}`).join(' AND ');
    const sub = (f: PrismaField): string => `(SELECT ${col(f)} FROM ${quoteName(table)} WHERE ${match})`;
    // Rows from the cursor row on, in the order of the keys: (k1 > c1) OR (k1 = c1 AND k2 >= c2) …
    const terms = order.map((k, i) => {
      const last = i === order.length - 1;
      const cmp = k.desc ? (last ? '<=' : '<') : last ? '>=' : '>';
      return and([...order.slice(0, i).map((p) => `${col(p.field)} = ${sub(p.field)}`), `${col(k.field)} ${cmp} ${sub(k.field)}`]);
    });
    where.push(order.length === 1 ? terms[0] : `(${or(terms)})`);
    cursorUniqueOrder = models.isUnique(model, order.map((k) => k.field.name));
  }
  const orderBy = order.map((k) => `${col(k.field)} ${k.desc ? 'DESC' : 'ASC'}${k.nulls ? ` NULLS ${k.nulls.toUpperCase()}` : ''}`);

  let limit: string | undefined;
  let offset: string | undefined;
  const take = args.get('take');
  if (take) {
    const v = codeValue(take);
    if ('literal' in v && (typeof v.literal !== 'number' || v.literal < 0)) fail('a negative `take` (Prisma reverses the ordering) is not translated');
    if (cursor && !cursorUniqueOrder) {
      notes.push(`no LIMIT: with a cursor over an ordering that is not unique (${order.map((k) => k.field.name).join(', ')}), Prisma reads every row from the cursor on and applies take in memory (prisma/orm#4490); add a unique field such as ${models.primaryKey(model)[0]?.name ?? 'id'} to orderBy`);
    } else limit = valueSql(v, params);
  }
  if (method.startsWith('findFirst') || method.startsWith('findUnique')) limit = '1';
  const skip = args.get('skip');
  if (skip) offset = valueSql(codeValue(skip), params);

  // Relations are loaded after the main query with the keys it returned: its select holds them.
  for (const r of related) {
    notes.push(relationNote(r.field, r.options));
    const join = models.relation(model, r.field)!;
    const keys = join.through ? models.primaryKey(model) : model.fields.filter((x) => !models.isRelation(x) && join.columns!.includes(models.column(x)));
    for (const f of keys) if (!selected.includes(f)) selected.push(f);
  }

  const from = quoteName(table);
  let sql: string;
  if (method === 'count') {
    const pk = models.primaryKey(model)[0] ?? models.scalars(model)[0];
    sql = `SELECT COUNT(*) FROM (${renderSelect({ columns: [col(pk)], from, where, limit, offset })}) AS "sub"`;
  } else {
    if (selected.length === 0) fail('the select has no scalar field');
    sql = renderSelect({ columns: selected.map(col), from, where, orderBy, limit, offset });
  }
  return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };

  /**
   * The rows of createMany written out (an array literal, or one object), as one INSERT: a column
   * that some rows set and others do not is DEFAULT in those, as Prisma sends it.
   */
  function insertRows(data: ts.Expression, skipDuplicates: ts.Expression | undefined): string {
    const e = unwrap(data);
    const items = ts.isArrayLiteralExpression(e) ? [...e.elements] : [e];
    if (!ts.isArrayLiteralExpression(e) && !ts.isObjectLiteralExpression(e)) fail(`the rows of ${method} are known only at run time (\`${oneLine(data.getText())}\`): Explain a call with the rows written out, or a create of one`);
    if (items.some(ts.isSpreadElement)) fail(`a spread in the rows of ${method} is not translated`);
    if (items.length === 0) fail(`${method} of no rows sends no query`);
    const rows = items.map((item) => new Map(createValues(item)));
    const columns: string[] = [];
    for (const r of rows) for (const c of r.keys()) if (!columns.includes(c)) columns.push(c);
    const full = rows.map((r) => new Map(columns.map((c) => [c, r.get(c) ?? 'DEFAULT'])));
    let sql = renderInsert(quoteName(table), full, quoteName, (v) => v)!;
    if (skipDuplicates) {
      const v = codeValue(skipDuplicates);
      if (!('literal' in v) || typeof v.literal !== 'boolean') fail('a `skipDuplicates` known only at run time is not translated');
      if ((v as { literal: boolean }).literal) sql += ' ON CONFLICT DO NOTHING';
    }
    return sql;
  }

  /**
   * upsert as the database upsert Prisma sends when the call allows one (Prisma 4.6+ on PostgreSQL:
   * no nested writes or reads, one unique field in `where` with the same value in `create`, a
   * non-empty `update`): INSERT … ON CONFLICT (that field) DO UPDATE SET … WHERE it matches.
   * Otherwise Prisma runs a read, then an INSERT or an UPDATE, itself: refused, saying why.
   */
  function upsert(): OrmTranslation {
    const itself = (why: string): never => fail(`Prisma runs this upsert itself, as a read by \`where\` then an INSERT or an UPDATE (${why}): Explain the read with findUnique, or change the call so that the database upserts`);
    if (related.length) itself('a relation in select or include is a nested read');
    const whereArg = args.get('where') ?? fail('upsert without `where`');
    const createArg = args.get('create') ?? fail('upsert without `create`');
    const updateArg = args.get('update') ?? fail('upsert without `update`');
    const keys = [...objectEntries(whereArg, '`where`', notes, fail)];
    if (keys.length !== 1) itself(`\`where\` has ${keys.length} fields, not one unique field`);
    const [keyName, keyValue] = keys[0];
    const keyField = models.field(model, keyName) ?? fail(`\`${keyName}\` in where is not a field of model ${model.name} (compound unique keys are not translated)`);
    if (models.isRelation(keyField) || !models.isUnique(model, [keyField.name])) itself(`\`${keyName}\` is not a unique field`);
    if (ts.isObjectLiteralExpression(unwrap(keyValue))) itself(`\`where.${keyName}\` is a filter, not a value`);
    const created = objectEntries(createArg, '`create`', notes, fail);
    const createdKey = created.get(keyName);
    if (!createdKey || oneLine(unwrap(createdKey).getText()) !== oneLine(unwrap(keyValue).getText())) itself(`\`create\` does not set \`${keyName}\` to the value \`where\` looks for`);
    for (const [name, value] of [...created, ...objectEntries(updateArg, '`update`', notes, fail)]) {
      const f = models.field(model, name);
      if (f && models.isRelation(f) && ts.isObjectLiteralExpression(unwrap(value))) itself(`\`${name}\` is a nested write`);
    }
    if (objectEntries(updateArg, '`update`', notes, fail).size === 0) itself('`update` is empty');
    // Placeholders in the order of the statement: the row, the assignments, the match.
    const insert = renderInsert(quoteName(table), [new Map(createValues(createArg))], quoteName, (v) => v);
    const set = dataAssignments(updateArg);
    const match = fieldConditions(col(keyField), keyValue);
    const sql = `${insert} ON CONFLICT (${quoteName(models.column(keyField))}) DO UPDATE SET ${set.join(', ')} WHERE ${and(match)}${returning()}`;
    notes.push(`a database upsert: PostgreSQL inserts the row, or updates the one with the same ${keyName}, in one statement (no unique-constraint error under concurrent upserts)`);
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }

  /**
   * `data` of a create: its scalars, a to-one relation's `connect` as the foreign key's columns, and
   * the defaults Prisma computes itself (`uuid()`, `cuid()`, `@updatedAt`) as placeholders.
   */
  function createValues(expr: ts.Expression): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const [name, value] of objectEntries(expr, '`data`', notes, fail)) {
      const f = models.field(model, name) ?? fail(`\`${name}\` in data is not a field of model ${model.name}`);
      if (!models.isRelation(f)) {
        out.set(models.column(f), valueSql(codeValue(value), params));
        continue;
      }
      const ops = objectEntries(value, `\`data.${name}\``, notes, fail);
      const connect = ops.size === 1 ? ops.get('connect') : undefined;
      const join = models.relation(model, f);
      if (!connect || !join?.columns || join.list) fail(`\`${name}\` in data: only \`connect\` of a to-one relation is translated (nested creates are more statements)`);
      const target = join!.target;
      const keys = objectEntries(connect!, '`connect`', notes, fail);
      join!.targetColumns!.forEach((targetColumn, i) => {
        const key = [...keys].find(([k]) => { const tf = models.field(target, k); return tf && models.column(tf) === targetColumn; });
        if (!key) fail(`\`${name}.connect\` by other fields than the ones the relation references is not translated`);
        out.set(join!.columns![i], valueSql(codeValue(key![1]), params));
      });
    }
    for (const f of models.scalars(model)) {
      const column = models.column(f);
      if (out.has(column)) continue;
      const def = f.attributes.find((a) => a.name === 'default')?.args?.trim();
      if (f.attributes.some((a) => a.name === 'updatedAt')) out.set(column, params.add(`the time now (Prisma sets @updatedAt ${f.name})`));
      else if (def && CLIENT_DEFAULTS.test(def)) out.set(column, params.add(`Prisma's ${def} for ${f.name}`));
    }
    if (out.size === 0) fail('`data` sets nothing');
    return [...out];
  }

  /** `data` of an update: `column = value`, the atomic number operations, `{ set: v }`; relations are refused. */
  function dataAssignments(expr: ts.Expression): string[] {
    const out: string[] = [];
    for (const [name, value] of objectEntries(expr, '`data`', notes, fail)) {
      const f = models.field(model, name) ?? fail(`\`${name}\` in data is not a field of model ${model.name}`);
      if (models.isRelation(f)) fail(`the relation \`${name}\` in data (connect, create, …) is not translated`);
      const c = quoteName(models.column(f));
      const v = unwrap(value);
      if (!ts.isObjectLiteralExpression(v)) {
        out.push(`${c} = ${valueSql(codeValue(v), params)}`);
        continue;
      }
      const ops = [...objectEntries(v, '`data`', notes, fail)];
      if (ops.length !== 1) fail(`\`${name}\` in data: one operation is translated (set, increment, decrement, multiply, divide)`);
      const [op, operand] = ops[0];
      if (op === 'set') out.push(`${c} = ${valueSql(codeValue(operand), params)}`);
      else if (NUMBER_OPS[op]) out.push(`${c} = (${column(table, models.column(f))} ${NUMBER_OPS[op]} ${valueSql(codeValue(operand), params)})`);
      else fail(`the \`${op}\` operation in data is not translated`);
    }
    if (out.length === 0) fail('`data` sets nothing');
    return out;
  }

  function whereConditions(expr: ts.Expression): string[] {
    const out: string[] = [];
    for (const [key, value] of objectEntries(expr, '`where`', notes, fail)) {
      if (key === 'AND' || key === 'OR' || key === 'NOT') {
        const e = unwrap(value);
        const items = ts.isArrayLiteralExpression(e) ? e.elements.map((x) => and(whereConditions(x))) : [and(whereConditions(e))];
        out.push(key === 'AND' ? and(items) : key === 'OR' ? or(items) : not(and(items)));
        continue;
      }
      const f = models.field(model, key);
      if (!f) fail(`\`${key}\` in where is not a field of model ${model.name} (compound unique keys are not translated)`);
      if (models.isRelation(f!)) fail(`the relation filter \`${key}\` is not translated`);
      out.push(...fieldConditions(col(f!), value));
    }
    return out;
  }

  function fieldConditions(target: string, value: ts.Expression): string[] {
    const e = unwrap(value);
    if (!ts.isObjectLiteralExpression(e)) return [equals(target, codeValue(e))];
    const ops = objectEntries(e, '`where`', notes, fail);
    const mode = ops.get('mode') ? codeValue(ops.get('mode')!) : undefined;
    if (mode && !('literal' in mode)) fail('a `mode` known only at run time is not translated');
    const insensitive = !!mode && 'literal' in mode && mode.literal === 'insensitive';
    const out: string[] = [];
    for (const [op, v] of ops) {
      const cv = codeValue(v);
      switch (op) {
        case 'mode':
          break;
        case 'equals':
          out.push(insensitive ? `${target} ILIKE ${valueSql(cv, params)}` : equals(target, cv));
          break;
        case 'not': {
          const inner = unwrap(v);
          if (ts.isObjectLiteralExpression(inner)) out.push(not(and(fieldConditions(target, inner))));
          else out.push('literal' in cv && cv.literal === null ? `${target} IS NOT NULL` : `${target} <> ${valueSql(cv, params)}`);
          break;
        }
        case 'lt': case 'lte': case 'gt': case 'gte':
          out.push(`${target} ${{ lt: '<', lte: '<=', gt: '>', gte: '>=' }[op]} ${valueSql(cv, params)}`);
          break;
        case 'in': case 'notIn': {
          const list = unwrap(v);
          const negate = op === 'notIn';
          if (ts.isArrayLiteralExpression(list)) {
            if (list.elements.some(ts.isSpreadElement)) fail(`a spread in \`${op}\` is not translated`);
            if (list.elements.length === 0) out.push(negate ? '1=1' : '1=0');
            else out.push(`${target} ${negate ? 'NOT IN' : 'IN'} (${list.elements.map((x) => valueSql(codeValue(x), params)).join(', ')})`);
          } else {
            // A list known only at run time: one array parameter (Prisma sends one per element).
            out.push(negate ? `${target} <> ALL(${params.add(oneLine(v.getText()))})` : `${target} = ANY(${params.add(oneLine(v.getText()))})`);
          }
          break;
        }
        case 'contains': case 'startsWith': case 'endsWith': {
          const pattern: CodeValue = 'literal' in cv && typeof cv.literal === 'string' ? { literal: STRING_OPS[op](cv.literal.replace(/[\\%_]/g, (c) => `\\${c}`)) } : { expression: `${oneLine(v.getText())} as a ${op} pattern` };
          out.push(`${target} ${insensitive ? 'ILIKE' : 'LIKE'} ${valueSql(pattern, params)}`);
          break;
        }
        default:
          fail(`the \`${op}\` filter is not translated`);
      }
    }
    return out;
  }

  function equals(target: string, v: CodeValue): string {
    return 'literal' in v && v.literal === null ? `${target} IS NULL` : `${target} = ${valueSql(v, params)}`;
  }

  function orderKeys(expr: ts.Expression): OrderKey[] {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => orderKeys(x));
    const out: OrderKey[] = [];
    for (const [name, value] of objectEntries(e, '`orderBy`', notes, fail)) {
      const f = scalarField(name);
      const v = unwrap(value);
      if (ts.isObjectLiteralExpression(v)) {
        const o = objectEntries(v, '`orderBy`', notes, fail);
        const sort = o.get('sort') ? codeValue(o.get('sort')!) : undefined;
        const nulls = o.get('nulls') ? codeValue(o.get('nulls')!) : undefined;
        if (!sort || !('literal' in sort) || (nulls && !('literal' in nulls))) fail('an ordering known only at run time is not translated');
        out.push({ field: f, desc: (sort as { literal: unknown }).literal === 'desc', nulls: nulls ? ((nulls as { literal: 'first' | 'last' }).literal) : undefined });
      } else {
        const dir = codeValue(v);
        if (!('literal' in dir) || (dir.literal !== 'asc' && dir.literal !== 'desc')) fail('an ordering direction known only at run time is not translated');
        out.push({ field: f, desc: (dir as { literal: string }).literal === 'desc' });
      }
    }
    return out;
  }

  /** The query Prisma issues after the main one to load a relation, as a note. */
  function relationNote(field: PrismaField, options: ts.Expression): string {
    const join = models.relation(model, field) ?? fail(`the relation \`${field.name}\` has no foreign key Prisma can join on`);
    const target = join.target;
    const targetTable = models.table(target);
    const cols = models.scalars(target).map((f) => column(targetTable, models.column(f)));
    const nested = ts.isObjectLiteralExpression(unwrap(options)) && (unwrap(options) as ts.ObjectLiteralExpression).properties.length > 0 ? ' (its nested options are not shown)' : '';
    let sql: string;
    if (join.through) {
      const t = join.through;
      sql = `SELECT ${[...cols, column(t.table, t.own)].join(', ')} FROM ${quoteName(targetTable)} INNER JOIN ${quoteName(t.table)} ON ${column(t.table, t.other)} = ${column(targetTable, t.targetKey)} WHERE ${column(t.table, t.own)} IN (…)`;
    } else {
      const keys = join.targetColumns!.map((c) => column(targetTable, c));
      sql = `SELECT ${cols.join(', ')} FROM ${quoteName(targetTable)} WHERE ${keys.length === 1 ? keys[0] : `(${keys.join(', ')})`} IN (…)`;
    }
    const keysFrom = join.through ? `the ${model.name} ids` : `the ${join.columns!.map((c) => literal(c).slice(1, -1)).join(', ')} values of the rows above`;
    return `include ${field.name}: Prisma runs one more query, ${sql}, with ${keysFrom}${nested}`;
  }
}
