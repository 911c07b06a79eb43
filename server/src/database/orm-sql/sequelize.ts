/**
 * Sequelize (v6) model calls → SQL as Sequelize writes them for PostgreSQL: the table aliased by the
 * model name (`FROM "Posts" AS "Post"`), includes as `LEFT OUTER JOIN … AS "<as>"` (INNER with
 * `required: true`); a belongsToMany include joins its through table and the target in parentheses
 * (`LEFT OUTER JOIN ( "PostTags" AS "Tags->PostTags" INNER JOIN "Tags" AS "Tags" ON …) ON …`). Traps it keeps: findOne by the primary key sends no LIMIT; a to-many include
 * with limit/offset pages the main rows in a subquery first; `paranoid` models read only rows whose
 * deletedAt is NULL; a table name Sequelize inflects is said in a note. Writes: update, destroy,
 * increment/decrement, and create/bulkCreate as Sequelize writes them (its column lists without
 * spaces, DEFAULT for an auto-increment key, the model's defaults and timestamps, RETURNING every
 * attribute).
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { and, column, literal, not, or, Parameters, quoteName, renderSelect, valueSql, type CodeValue } from './sql-builder';
import { associationKey, madeThroughColumns, throughTable, type SequelizeAssociation, type SequelizeAttribute, type SequelizeModel, type ThroughTable } from '../../languages/typescript/sequelize-definitions';
import { SequelizeModels } from './sequelize-models';
import { UntranslatableCall, type OrmTranslation } from './translation';
import type { TsModules } from './typescript-modules';
import { codeValue, oneLine, propertyName, unwrap } from './typescript-values';

const METHODS = new Set(['findAll', 'findOne', 'findByPk', 'count', 'findAndCountAll', 'update', 'destroy', 'increment', 'decrement', 'create', 'bulkCreate']);
const INSERT_OPTIONS = new Set(['returning', 'transaction', 'logging', 'benchmark', 'validate', 'hooks', 'silent', 'ignoreDuplicates', 'updateOnDuplicate', 'conflictAttributes', 'individualHooks']);
/** Defaults Sequelize computes in the client (`DataTypes.NOW`, `UUIDV4`): a placeholder each. */
const CLIENT_DEFAULT = /(^|\.)(NOW|UUIDV4|UUIDV1)$/;
const WRITE_OPTIONS = new Set(['where', 'force', 'individualHooks', 'hooks', 'logging', 'transaction', 'benchmark', 'returning', 'fields', 'silent', 'validate', 'sideEffects', 'by']);
const OPTIONS = new Set(['where', 'order', 'limit', 'offset', 'attributes', 'include', 'raw', 'nest', 'subQuery', 'paranoid', 'logging', 'transaction', 'benchmark']);
const COMPARE: Record<string, string> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE', notLike: 'NOT LIKE', iLike: 'ILIKE', notILike: 'NOT ILIKE' };
const PATTERNS: Record<string, (v: string) => string> = { startsWith: (v) => `${v}%`, endsWith: (v) => `%${v}`, substring: (v) => `%${v}%` };

interface Include {
  association: SequelizeAssociation;
  target: SequelizeModel;
  required: boolean;
  attributes?: SequelizeAttribute[];
  /** belongsToMany: the join table. */
  through?: ThroughTable;
}

/** The through table's alias in Sequelize's SQL: `Tags->PostTags`. */
function throughAlias(i: Include): string {
  return `${i.association.as}->${i.through!.name}`;
}

/** The through table's columns Sequelize selects: a through model's attributes, or the timestamps and keys of the one it makes. */
function throughColumns(i: Include, underscored: boolean): string[] {
  const t = i.through!;
  if (t.model) {
    const cols = t.model.attributes.map((a) => a.column);
    for (const k of [t.sourceColumn, t.targetColumn]) if (!cols.includes(k)) cols.push(k);
    return cols;
  }
  const made = madeThroughColumns(t, underscored);
  return [...made.timestamps, ...made.keys];
}

export function translateSequelizeCall(fact: TsQueryFact, modules: TsModules, file: string): OrmTranslation {
  const call = fact.call;
  const callee = oneLine(call.expression.getText());
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  if (!ts.isPropertyAccessExpression(call.expression)) fail('not a `Model.method(…)` call');
  const access = call.expression as ts.PropertyAccessExpression;
  const method = access.name.text;
  if (!METHODS.has(method)) fail(`\`${method}\` is not translated (${[...METHODS].join(', ')} are)`);
  const receiver = unwrap(access.expression);
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : fail(`the model \`${oneLine(receiver.getText())}\` is not a name`);
  const models = new SequelizeModels(file, modules);
  const model = models.model(name) ?? fail(`no Sequelize model \`${name}\` found (looked for Model.init/sequelize.define in the workspace index, the module it is imported from and this file)`);
  const alias = model.modelName;
  const notes: string[] = [];
  const params = new Parameters();
  if (model.inflected) notes.push(`table "${model.table}": Sequelize's plural of the model name ${model.modelName} (set tableName or freezeTableName if the table is named otherwise)`);

  const arithmetic = method === 'increment' || method === 'decrement';
  const inserts = method === 'create' || method === 'bulkCreate';
  const optionsArg = method === 'findByPk' || method === 'update' || arithmetic || inserts ? call.arguments[1] : call.arguments[0];
  const options = optionsArg ? entries(optionsArg, 'the options', fail) : [];
  const write = method === 'update' || method === 'destroy' || arithmetic || inserts;
  for (const [key] of options) if (!(inserts ? INSERT_OPTIONS : write ? WRITE_OPTIONS : OPTIONS).has(key)) fail(`the \`${key}\` option${write ? ` of ${method}` : ''} is not translated`);
  const option = (key: string): ts.Expression | undefined => options.find(([k]) => k === key)?.[1];
  const flag = (key: string): boolean | undefined => {
    const v = option(key);
    if (!v) return undefined;
    const c = codeValue(v);
    return 'literal' in c && typeof c.literal === 'boolean' ? c.literal : fail(`a \`${key}\` known only at run time is not translated`);
  };
  const attr = (m: SequelizeModel, key: string): SequelizeAttribute => m.attributes.find((a) => a.name === key) ?? fail(`\`${key}\` is not an attribute of model ${m.name}`);

  if (inserts) return insertSql();
  if (write) return writeSql();
  const includes = option('include') ? includesOf(option('include')!) : [];
  let columns = model.attributes.map((a) => column(alias, a.column));
  const attributes = option('attributes');
  if (attributes) columns = attributeList(model, attributes).map((a) => column(alias, a.column));

  const where: string[] = [];
  if (method === 'findByPk') {
    const pk = model.attributes.find((a) => a.primary)!;
    if (!call.arguments[0]) fail('findByPk without a key is not translated');
    where.push(`${column(alias, pk.column)} = ${valueSql(codeValue(call.arguments[0]), params)}`);
  }
  const whereArg = option('where');
  if (whereArg) {
    const c = and(conditions(whereArg));
    if (c !== 'true') where.push(c);
  }
  if (model.deletedAt && flag('paranoid') !== false) {
    where.unshift(`${column(alias, model.deletedAt.column)} IS NULL`);
    notes.push(`${model.name} is paranoid: Sequelize reads only rows whose ${model.deletedAt.name} IS NULL (paranoid: false reads all)`);
  }
  const orderBy = option('order') ? orderOf(option('order')!) : [];
  let limit = option('limit') ? valueSql(codeValue(option('limit')!), params) : undefined;
  // findOne sends LIMIT 1, except when the where names the primary key (or a unique attribute) with a plain value.
  if ((method === 'findOne' || method === 'findByPk') && limit === undefined) {
    const byKey = method === 'findByPk' || (whereArg && entries(whereArg, '`where`', fail).some(([k, v]) => model.attributes.some((a) => a.name === k && (a.primary || a.unique)) && !ts.isObjectLiteralExpression(unwrap(v)) && !ts.isArrayLiteralExpression(unwrap(v))));
    if (byKey) notes.push('findOne/findByPk by the primary key or a unique attribute sends no LIMIT (Sequelize leaves it out when the value is a plain one)');
    else limit = '1';
  }
  const offset = option('offset') ? valueSql(codeValue(option('offset')!), params) : undefined;
  const from = `${quoteName(model.table)} AS ${quoteName(alias)}`;

  let sql: string;
  if (method === 'count') {
    if (includes.length > 0) fail('count with include is not translated');
    sql = renderSelect({ columns: ['count(*) AS "count"'], from, where });
  } else {
    const joins = includes.map(joinSql);
    const includeColumns = includes.flatMap((i) => [
      ...(i.attributes ?? i.target.attributes).map((a) => column(i.association.as, a.column)),
      ...(i.through ? throughColumns(i, model.underscored).map((c) => column(throughAlias(i), c)) : []),
    ]);
    const toManyKind = (i: Include) => i.association.kind === 'hasMany' || i.association.kind === 'belongsToMany';
    const toMany = includes.some(toManyKind);
    if (toMany && (limit !== undefined || offset !== undefined) && flag('subQuery') !== false) {
      if (includes.some((i) => i.required && toManyKind(i))) fail('a required to-many include with limit/offset (Sequelize filters the subquery with a correlated EXISTS-like check) is not translated');
      // A LIMIT over joined to-many rows would cut a parent's children: Sequelize pages the parents in a subquery.
      const inner = renderSelect({ columns, from, joins: joins.filter((_, i) => includes[i].required && !toManyKind(includes[i])), where, orderBy, limit, offset });
      sql = renderSelect({ columns: [`${quoteName(alias)}.*`, ...includeColumns], from: `(${inner}) AS ${quoteName(alias)}`, joins: joins.filter((_, i) => !(includes[i].required && !toManyKind(includes[i]))), orderBy });
      notes.push('limit/offset with a to-many include: Sequelize pages the main rows in a subquery, then joins the included rows');
    } else {
      sql = renderSelect({ columns: [...columns, ...includeColumns], from, joins, where, orderBy, limit, offset });
    }
    if (method === 'findAndCountAll') notes.push(`findAndCountAll runs a second query for the total: ${renderSelect({ columns: [includes.length > 0 ? `count(DISTINCT(${column(alias, model.attributes.find((a) => a.primary)!.column)})) AS "count"` : 'count(*) AS "count"'], from, joins: includes.filter((i) => i.required).map(joinSql), where })}`);
  }
  return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };

  /**
   * `Model.create(values)` and `Model.bulkCreate([values…])` as Sequelize v6 writes them for
   * PostgreSQL (checked against its logged SQL): the model's attributes in their order, an
   * auto-increment key not given as DEFAULT, the model's `defaultValue`s and createdAt/updatedAt
   * (updatedAt not with `silent` on create), deletedAt never; create sends only the attributes that
   * have a value, bulkCreate every one (NULL where a row has none). RETURNING every attribute.
   */
  function insertSql(): OrmTranslation {
    if (option('individualHooks') && flag('individualHooks')) notes.push('individualHooks: Sequelize runs the hooks of each row, then this INSERT');
    const bulk = method === 'bulkCreate';
    const given = unwrap(call.arguments[0] ?? fail(`${method} without values`));
    let rows: Array<Map<string, ts.Expression>>;
    if (bulk) {
      if (!ts.isArrayLiteralExpression(given)) fail(`the rows of bulkCreate are known only at run time (\`${oneLine(given.getText())}\`): Explain a call with the rows written out, or a create of one`);
      const items = (given as ts.ArrayLiteralExpression).elements;
      if (items.some(ts.isSpreadElement)) fail('a spread in the rows of bulkCreate is not translated');
      if (items.length === 0) fail('bulkCreate of no rows sends no query');
      rows = items.map((item) => new Map(entries(item, 'a row', fail)));
    } else rows = [new Map(entries(given, 'the values', fail))];
    for (const row of rows) {
      for (const key of row.keys()) {
        if (!model.attributes.some((a) => a.name === key)) fail(`\`${key}\` is not an attribute of model ${model.name}${model.associations.some((x) => x.as === key) ? ' (creating associated rows with `include` is not translated)' : ''}`);
      }
    }
    const silent = !bulk && flag('silent') === true;
    const stamps = new Set(model.attributes.filter((a) => !a.definition && !a.primary && a !== model.deletedAt).map((a) => a.name));
    const inserted = model.attributes.filter((a) => a !== model.deletedAt);
    /** The value of an attribute a row does not give (its placeholders from `p`): undefined when create leaves it out. */
    const missing = (a: SequelizeAttribute, p: Parameters): string | undefined => {
      const def = a.definition && ts.isObjectLiteralExpression(unwrap(a.definition)) ? (unwrap(a.definition) as ts.ObjectLiteralExpression) : undefined;
      const prop = (name: string): ts.Expression | undefined => {
        const p = def?.properties.find((x) => ts.isPropertyAssignment(x) && propertyName(x) === name);
        return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
      };
      if (a.primary && (!a.definition || prop('autoIncrement')?.kind === ts.SyntaxKind.TrueKeyword)) return 'DEFAULT';
      if (stamps.has(a.name)) return silent && a.name === 'updatedAt' ? undefined : p.add(`the current time (Sequelize sets ${a.name})`);
      const dv = prop('defaultValue');
      if (dv) {
        const v = unwrap(dv);
        if (CLIENT_DEFAULT.test(v.getText())) return p.add(`Sequelize's ${v.getText().split('.').pop()} for ${a.name}`);
        const c = codeValue(v);
        if (!('literal' in c)) fail(`the defaultValue of ${a.name} (\`${oneLine(dv.getText())}\`) is not translated`);
        return valueSql(c, p);
      }
      // A key Sequelize does not generate is sent as null; so is any attribute in bulkCreate.
      return a.primary || bulk ? 'NULL' : undefined;
    };
    const columns = bulk ? inserted : inserted.filter((a) => rows[0].has(a.name) || missing(a, new Parameters()) !== undefined);
    // Placeholders numbered in the order of the columns, row after row.
    const tuples = rows.map((row) =>
      columns.map((a) => {
        const v = row.get(a.name);
        return v !== undefined ? valueSql(codeValue(unwrap(v)), params) : missing(a, params) ?? 'NULL';
      }),
    );
    let sql = `INSERT INTO ${quoteName(model.table)} (${columns.map((a) => quoteName(a.column)).join(',')}) VALUES ${tuples.map((t) => `(${t.join(',')})`).join(',')}`;
    if (bulk && option('updateOnDuplicate')) {
      const names = stringList(option('updateOnDuplicate')!, 'updateOnDuplicate');
      const target = option('conflictAttributes') ? stringList(option('conflictAttributes')!, 'conflictAttributes') : fail('updateOnDuplicate without conflictAttributes: Sequelize picks the conflict target from the model\'s keys; name it with conflictAttributes');
      sql += ` ON CONFLICT (${target.map((n) => quoteName(attr(model, n).column)).join(',')}) DO UPDATE SET ${names.map((n) => `${quoteName(attr(model, n).column)}=EXCLUDED.${quoteName(attr(model, n).column)}`).join(',')}`;
    } else if (bulk && flag('ignoreDuplicates')) sql += ' ON CONFLICT DO NOTHING';
    if (flag('returning') !== false) sql += ` RETURNING ${model.attributes.map((a) => quoteName(a.column)).join(',')}`;
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }

  function stringList(expr: ts.Expression, what: string): string[] {
    const e = unwrap(expr);
    const items = ts.isArrayLiteralExpression(e) ? [...e.elements] : [e];
    return items.map((x) => {
      const v = codeValue(x);
      return 'literal' in v && typeof v.literal === 'string' ? v.literal : fail(`a name in \`${what}\` known only at run time is not translated`);
    });
  }

  /**
   * `Model.update(values, { where })`, `Model.increment(fields, { by, where })`/`decrement` and
   * `Model.destroy({ where })`; a paranoid model's destroy is an UPDATE of deletedAt (`force: true`
   * deletes). Sequelize sets updatedAt on an update, unless `silent`. As Sequelize 6 writes them
   * (checked against its logged SQL): no alias, `"col"=value` lists, bare columns in the WHERE,
   * `RETURNING *` after an increment or decrement.
   */
  function writeSql(): OrmTranslation {
    const target = quoteName(model.table);
    const set: string[] = [];
    if (method === 'update') {
      for (const [key, value] of entries(call.arguments[0] ?? fail('update without values'), 'the values', fail)) {
        const v = unwrap(value);
        if (ts.isCallExpression(v) && /(^|\.)(literal|fn|col)$/.test(v.expression.getText())) fail(`\`${oneLine(value.getText())}\` (raw SQL) is not translated`);
        set.push(`${quoteName(attr(model, key).column)}=${valueSql(codeValue(v), params)}`);
      }
    }
    if (arithmetic) {
      // increment('visits'), increment(['a', 'b'], { by: 2 }), increment({ a: 2, b: -1 }): "col" = "col" + by.
      const fields = unwrap(call.arguments[0] ?? fail(`${method} without the fields`));
      const by = option('by');
      const amounts: Array<[string, ts.Expression | undefined]> = ts.isObjectLiteralExpression(fields)
        ? entries(fields, 'the fields', fail)
        : (ts.isArrayLiteralExpression(fields) ? [...fields.elements] : [fields]).map((f) => {
          const v = codeValue(f);
          return 'literal' in v && typeof v.literal === 'string' ? [v.literal, by] : fail(`the field \`${oneLine(f.getText())}\` is not a name written out`);
        });
      for (const [key, amount] of amounts) {
        const c = quoteName(attr(model, key).column);
        set.push(`${c}=${c}${method === 'increment' ? '+' : '-'} ${amount ? valueSql(codeValue(unwrap(amount)), params) : '1'}`);
      }
    }
    if (method === 'update' || arithmetic) {
      const updatedAt = model.attributes.find((a) => a.name === 'updatedAt');
      if (updatedAt && flag('silent') !== true && !set.some((x) => x.startsWith(`${quoteName(updatedAt.column)}=`))) set.push(`${quoteName(updatedAt.column)}=${params.add('the current time (Sequelize sets updatedAt)')}`);
    }
    const whereArg = option('where') ?? fail(`${method} without \`where\` (Sequelize refuses it)`);
    const paranoid = method === 'destroy' && !!model.deletedAt && flag('force') !== true;
    if (paranoid) {
      set.push(`${quoteName(model.deletedAt!.column)}=${params.add('the current time (a paranoid model: Sequelize sets deletedAt)')}`);
      notes.push(`${model.name} is paranoid: destroy sets ${model.deletedAt!.name} instead of deleting (force: true deletes)`);
    }
    // Placeholders in text order: the assignments', then the conditions'.
    const where = [...(paranoid ? [`${quoteName(model.deletedAt!.column)} IS NULL`] : []), ...conditions(whereArg)];
    const cond = and(where);
    const head = set.length ? `UPDATE ${target} SET ${set.join(',')}` : `DELETE FROM ${target}`;
    if (flag('individualHooks')) notes.push('individualHooks: Sequelize first SELECTs the rows, then writes each one by its key');
    // increment/decrement return the rows they changed.
    const sql = `${cond === 'true' ? head : `${head} WHERE ${cond}`}${arithmetic ? ' RETURNING *' : ''}`;
    return { sql, description: `${callee} → SQL`, notes: [...params.notes(), ...notes] };
  }

  function attributeList(m: SequelizeModel, expr: ts.Expression): SequelizeAttribute[] {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) {
      return e.elements.map((x) => {
        const v = codeValue(x);
        if (!('literal' in v) || typeof v.literal !== 'string') return fail(`the attribute \`${oneLine(x.getText())}\` is not translated (names only; aliases and functions are not)`);
        return attr(m, v.literal as string);
      });
    }
    const o = entries(e, '`attributes`', fail);
    const exclude = o.find(([k]) => k === 'exclude')?.[1];
    if (o.length !== 1 || !exclude || !ts.isArrayLiteralExpression(unwrap(exclude))) return fail('`attributes` other than a list of names or { exclude: […] } is not translated');
    const names = (unwrap(exclude) as ts.ArrayLiteralExpression).elements.map((x) => {
      const v = codeValue(x);
      return 'literal' in v && typeof v.literal === 'string' ? v.literal : fail('an excluded attribute known only at run time is not translated');
    });
    return m.attributes.filter((a) => !names.includes(a.name));
  }

  function includesOf(expr: ts.Expression): Include[] {
    const e = unwrap(expr);
    const items = ts.isArrayLiteralExpression(e) ? [...e.elements] : [e];
    return items.map((x) => {
      const item = unwrap(x);
      let as: string | undefined;
      let targetName: string | undefined;
      let required = false;
      let attrs: ts.Expression | undefined;
      if (ts.isStringLiteralLike(item)) as = item.text;
      else if (ts.isIdentifier(item) || ts.isPropertyAccessExpression(item)) targetName = ts.isIdentifier(item) ? item.text : item.name.text;
      else if (ts.isObjectLiteralExpression(item)) {
        for (const [k, v] of entries(item, '`include`', fail)) {
          const u = unwrap(v);
          if (k === 'model') targetName = ts.isIdentifier(u) ? u.text : ts.isPropertyAccessExpression(u) ? u.name.text : fail('an included model that is not a name is not translated');
          else if (k === 'as' || k === 'association') as = ts.isStringLiteralLike(u) ? u.text : fail(`an include \`${k}\` known only at run time is not translated`);
          else if (k === 'required') required = u.kind === ts.SyntaxKind.TrueKeyword ? true : u.kind === ts.SyntaxKind.FalseKeyword ? false : fail('a `required` known only at run time is not translated');
          else if (k === 'attributes') attrs = v;
          else fail(`the include option \`${k}\` is not translated`);
        }
      } else fail(`the include \`${oneLine(item.getText())}\` is not translated`);
      const assoc = model.associations.find((a) => (as ? a.as === as : a.target === targetName)) ?? fail(`${model.name} has no association ${as ? `\`${as}\`` : `with ${targetName}`} (associations are read from ${model.name}.belongsTo/hasOne/hasMany/belongsToMany(…) calls in its model file)`);
      const target = models.model(assoc.target, model.file) ?? fail(`no Sequelize model \`${assoc.target}\` found`);
      let through: ThroughTable | undefined;
      if (assoc.kind === 'belongsToMany') {
        through = throughTable(model, assoc, target, (n) => models.model(n, model.file)) ?? fail(`the through model of the belongsToMany include \`${assoc.as}\` was not found (\`through\` names it)`);
      }
      return { association: assoc, target, required, attributes: attrs ? attributeList(target, attrs) : undefined, through };
    });
  }

  function joinSql(i: Include): string {
    const a = i.association;
    const targetPk = i.target.attributes.find((x) => x.primary)!;
    const sourcePk = model.attributes.find((x) => x.primary)!;
    if (i.through) {
      // Sequelize joins the through table and the target inside parentheses, then to the source.
      const t = i.through;
      const via = throughAlias(i);
      const inner = `${quoteName(t.table)} AS ${quoteName(via)} INNER JOIN ${quoteName(i.target.table)} AS ${quoteName(a.as)} ON ${column(a.as, targetPk.column)} = ${column(via, t.targetColumn)}`;
      return `${i.required ? 'INNER' : 'LEFT OUTER'} JOIN ( ${inner}) ON ${column(alias, sourcePk.column)} = ${column(via, t.sourceColumn)}`;
    }
    const key = associationKey(model, a, i.target);
    let on = a.kind === 'belongsTo' ? `${column(alias, key.column)} = ${column(a.as, targetPk.column)}` : `${column(alias, sourcePk.column)} = ${column(a.as, key.column)}`;
    if (i.target.deletedAt) on = `${on} AND (${column(a.as, i.target.deletedAt.column)} IS NULL)`;
    return `${i.required ? 'INNER' : 'LEFT OUTER'} JOIN ${quoteName(i.target.table)} AS ${quoteName(a.as)} ON ${on}`;
  }

  function orderOf(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (!ts.isArrayLiteralExpression(e)) return fail('an `order` that is not a list is not translated');
    return e.elements.map((x) => {
      const item = unwrap(x);
      const parts = ts.isArrayLiteralExpression(item) ? item.elements.map((p) => codeValue(p)) : [codeValue(item)];
      if (parts.some((p) => !('literal' in p) || typeof p.literal !== 'string')) return fail(`the ordering \`${oneLine(item.getText())}\` is not translated (names and directions written out are)`);
      const [key, dir, ...rest] = parts.map((p) => (p as { literal: string }).literal);
      if (rest.length > 0) return fail(`ordering by an included model's attribute (\`${oneLine(item.getText())}\`) is not translated`);
      const d = (dir ?? 'ASC').toUpperCase();
      if (!/^(ASC|DESC)( NULLS (FIRST|LAST))?$/.test(d)) return fail(`the direction \`${dir}\` is not translated`);
      return `${column(alias, attr(model, key).column)} ${d}`;
    });
  }

  /** A column in a condition: qualified by the model's alias in a SELECT, bare in an UPDATE or DELETE (Sequelize names no alias there). */
  function columnRef(name: string): string {
    return write ? quoteName(name) : column(alias, name);
  }

  /** A where object: attributes, `[Op.and]`/`[Op.or]`/`[Op.not]`, values or operator objects. */
  function conditions(expr: ts.Expression): string[] {
    const out: string[] = [];
    for (const [key, value] of entries(expr, '`where`', fail)) {
      if (key === 'Op.and' || key === 'Op.or' || key === 'Op.not') {
        const v = unwrap(value);
        const items = ts.isArrayLiteralExpression(v) ? v.elements.map((x) => and(conditions(x))) : [and(conditions(v))];
        out.push(key === 'Op.or' ? or(items) : key === 'Op.and' ? and(items) : not(and(items)));
        continue;
      }
      if (key.startsWith('Op.')) fail(`\`[${key}]\` at the top of where is not translated`);
      out.push(...attributeConditions(columnRef(attr(model, key).column), key, value));
    }
    return out;
  }

  function attributeConditions(target: string, key: string, value: ts.Expression): string[] {
    const e = unwrap(value);
    if (ts.isArrayLiteralExpression(e)) return [inList(target, e, false)];
    if (!ts.isObjectLiteralExpression(e)) {
      if (ts.isIdentifier(e) && e.text === 'undefined') fail(`\`${key}: undefined\`: Sequelize throws on an undefined where value`);
      const v = codeValue(e);
      if ('literal' in v && v.literal === null) return [`${target} IS NULL`];
      return [`${target} = ${valueSql(v, params)}`];
    }
    const out: string[] = [];
    for (const [op, v] of entries(e, '`where`', fail)) {
      const name = op.startsWith('Op.') ? op.slice(3) : fail(`\`${key}.${op}\`: nested attributes (JSON paths) are not translated`);
      const cv = codeValue(v);
      if (COMPARE[name]) {
        out.push('literal' in cv && cv.literal === null && (name === 'eq' || name === 'ne') ? `${target} IS ${name === 'ne' ? 'NOT ' : ''}NULL` : `${target} ${COMPARE[name]} ${valueSql(cv, params)}`);
      } else if (name === 'is' || name === 'not') {
        if ('literal' in cv && (cv.literal === null || typeof cv.literal === 'boolean')) out.push(`${target} IS ${name === 'not' ? 'NOT ' : ''}${literal(cv.literal).toUpperCase()}`);
        else if (name === 'not') out.push(`${target} != ${valueSql(cv, params)}`);
        else fail('`[Op.is]` with a value other than null, true or false is not translated');
      } else if (name === 'in' || name === 'notIn') {
        const list = unwrap(v);
        if (ts.isArrayLiteralExpression(list)) out.push(inList(target, list, name === 'notIn'));
        else {
          const p = params.add(oneLine(v.getText()));
          notes.push(`${p} is the whole list: Sequelize writes its values into IN (…)`);
          out.push(name === 'in' ? `${target} = ANY(${p})` : `${target} <> ALL(${p})`);
        }
      } else if (PATTERNS[name]) {
        const pattern: CodeValue = 'literal' in cv && typeof cv.literal === 'string' ? { literal: PATTERNS[name](cv.literal) } : { expression: `${oneLine(v.getText())} as a ${name} pattern` };
        out.push(`${target} LIKE ${valueSql(pattern, params)}`);
      } else if (name === 'between' || name === 'notBetween') {
        const pair = unwrap(v);
        if (!ts.isArrayLiteralExpression(pair) || pair.elements.length !== 2) fail(`\`[Op.${name}]\` without a [from, to] pair written out is not translated`);
        const [lo, hi] = (pair as ts.ArrayLiteralExpression).elements.map((x) => valueSql(codeValue(x), params));
        out.push(`${target} ${name === 'notBetween' ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi}`);
      } else fail(`the operator \`[Op.${name}]\` is not translated`);
    }
    return out;
  }

  function inList(target: string, list: ts.ArrayLiteralExpression, negate: boolean): string {
    if (list.elements.some(ts.isSpreadElement)) fail('a spread in an IN list is not translated');
    // Sequelize writes an empty IN as IN (NULL): no row matches (NOT IN (NULL) matches none either).
    if (list.elements.length === 0) return `${target} ${negate ? 'NOT IN' : 'IN'} (NULL)`;
    return `${target} ${negate ? 'NOT IN' : 'IN'} (${list.elements.map((x) => valueSql(codeValue(x), params)).join(', ')})`;
  }
}


/** The properties of an options object in order; `[Op.gt]` keys come back as `Op.gt`. */
function entries(expr: ts.Expression, what: string, fail: (what: string) => never): Array<[string, ts.Expression]> {
  const e = unwrap(expr);
  if (!ts.isObjectLiteralExpression(e)) return fail(`${what} is not an object literal (\`${oneLine(expr.getText())}\`)`);
  return e.properties.map((p): [string, ts.Expression] => {
    if (ts.isShorthandPropertyAssignment(p)) return [p.name.text, p.name];
    if (!ts.isPropertyAssignment(p)) return fail(`\`${oneLine(p.getText())}\` in ${what} is not translated`);
    if (ts.isComputedPropertyName(p.name)) {
      const k = p.name.expression;
      if (ts.isPropertyAccessExpression(k) && /(^|\.)Op$/.test(k.expression.getText())) return [`Op.${k.name.text}`, p.initializer];
      return fail(`the computed key \`${oneLine(p.name.getText())}\` in ${what} is not translated`);
    }
    return [propertyName(p) ?? fail(`a key of ${what} is not translated`), p.initializer];
  });
}
