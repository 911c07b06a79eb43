/**
 * TypeORM calls → SQL, as TypeORM 0.3 writes them for PostgreSQL: the main table aliased by the
 * entity's class name (`FROM "posts" "Post"`), relations as LEFT JOINs aliased `Post__Post_author`.
 * Find options (`repo.find/findOne/findBy/findOneBy/count/findAndCount`) and query builders
 * (`repo.createQueryBuilder('p').where(…).orderBy(…).skip(…).take(…).getMany()`). Traps it keeps:
 * findOne sends LIMIT 1 but the builder's getOne does not; `null`/`undefined` in `where` drop the
 * condition; `@DeleteDateColumn` adds `IS NULL`; eager relations join on every find; skip/take with
 * joins first selects the page's distinct ids.
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { findDeclaration } from '../../languages/typescript/values';
import { repositoryEntity } from '../../languages/typescript/repositories';
import { and, column, not, or, Parameters, quoteName, renderSelect, valueSql, type CodeValue } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import { TypeormEntities, type TypeormColumn, type TypeormEntity, type TypeormRelation } from './typeorm-entities';
import type { TsModules } from './typescript-modules';
import { codeValue, objectEntries, oneLine, unwrap } from './typescript-values';

const FIND_METHODS = new Set(['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'count', 'countBy', 'findAndCount', 'findAndCountBy']);
const FIND_OPTIONS = new Set(['where', 'order', 'skip', 'take', 'select', 'relations', 'withDeleted', 'loadEagerRelations', 'cache', 'comment', 'transaction']);
/** Repository writes by criteria: `repo.update({ authorId }, { published: false })`, `repo.delete(id)`. */
const WRITE_METHODS = new Set(['update', 'delete', 'increment', 'decrement']);
const INSERT_METHODS = new Set(['insert', 'save', 'upsert']);
const TERMINALS = new Set(['getMany', 'getOne', 'getOneOrFail', 'getManyAndCount', 'getCount', 'getRawMany', 'getRawOne']);
const COMPARISONS: Record<string, string> = { LessThan: '<', LessThanOrEqual: '<=', MoreThan: '>', MoreThanOrEqual: '>=', Like: 'LIKE', ILike: 'ILIKE', Equal: '=' };

interface Join {
  relation: TypeormRelation;
  alias: string;
  target: TypeormEntity;
  select: boolean;
  inner: boolean;
  /** Extra ON condition (query builder joins), already in SQL. */
  condition?: string;
}

/** One SELECT being assembled: the pieces both find options and builders fill. */
interface Query {
  entity: TypeormEntity;
  alias: string;
  /** undefined: every column of the entity and of the selected joins. */
  columns?: string[];
  joins: Join[];
  where: string[];
  orderBy: string[];
  /** Columns the ordering reads (the distinct-ids query must select them). */
  orderColumns: string[];
  /** skip/take: entity paging (two queries when there are joins); limit/offset: plain SQL. */
  take?: string;
  skip?: string;
  limit?: string;
  offset?: string;
  withDeleted: boolean;
}

export function translateTypeormCall(fact: TsQueryFact, modules: TsModules, file: string): OrmTranslation {
  const call = fact.call;
  const callee = oneLine(fact.chain ? fact.chain[0].expression.getText() : call.expression.getText());
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  const entities = new TypeormEntities(file, modules);
  const notes: string[] = [];
  const params = new Parameters();
  const t = new Translator(entities, params, notes, fail);
  const builder = fact.chain?.find((c) => methodOf(c) === 'createQueryBuilder');
  const sql = builder ? t.queryBuilder(fact.chain!, builder) : t.find(call);
  return { sql, description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...new Set(notes)] };
}

function methodOf(call: ts.CallExpression): string | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

class Translator {
  constructor(
    private readonly entities: TypeormEntities,
    private readonly params: Parameters,
    private readonly notes: string[],
    private readonly fail: (what: string) => never,
  ) {}

  private entity(name: string, from?: string): TypeormEntity {
    const e = this.entities.entity(name, from) ?? this.fail(`no TypeORM entity \`${name}\` found (looked in the workspace index, the module it is imported from and this file)`);
    if (e.unsupported) this.fail(e.unsupported);
    return e;
  }

  private pk(q: { entity: TypeormEntity; alias: string }): string {
    const c = this.entities.primary(q.entity) ?? this.fail(`${q.entity.name} has no primary column`);
    return column(q.alias, c.column);
  }

  private columnOf(e: TypeormEntity, property: string, what: string): string {
    const c = e.columns.find((x) => x.property === property && !x.relation);
    if (c) return c.column;
    if (e.relations.some((r) => r.property === property)) this.fail(`${what} through the relation \`${property}\` is not translated`);
    return this.fail(`\`${property}\` is not a column of entity ${e.name}`);
  }

  // ---- find options ----

  find(call: ts.CallExpression): string {
    const method = methodOf(call)!;
    if (WRITE_METHODS.has(method)) return this.write(call, method);
    if (INSERT_METHODS.has(method)) return this.insert(call, method);
    if (!FIND_METHODS.has(method)) this.fail(`\`${method}\` is not translated (${[...FIND_METHODS].join(', ')} are)`);
    const { entity, args } = this.callTarget(call);
    const arg = args[0];
    const q: Query = { entity, alias: entity.name, joins: [], where: [], orderBy: [], orderColumns: [], withDeleted: false };
    const by = /By(OrFail)?$/.test(method);
    let options = new Map<string, ts.Expression>();
    if (arg && by) options.set('where', arg);
    else if (arg) options = objectEntries(arg, 'the options', this.notes, this.fail);
    for (const key of options.keys()) if (!FIND_OPTIONS.has(key)) this.fail(`the \`${key}\` option is not translated`);
    const flag = (key: string): boolean | undefined => {
      const v = options.get(key);
      if (!v) return undefined;
      const c = codeValue(v);
      return 'literal' in c && typeof c.literal === 'boolean' ? c.literal : this.fail(`a \`${key}\` known only at run time is not translated`);
    };
    q.withDeleted = flag('withDeleted') ?? false;

    const relations = options.get('relations');
    if (relations) for (const name of this.relationNames(relations)) this.join(q, name, `${q.alias}__${q.alias}_${name}`, true, false);
    if (flag('loadEagerRelations') !== false) {
      for (const r of entity.relations.filter((x) => x.eager && !q.joins.some((j) => j.relation === x))) {
        this.join(q, r.property, `${q.alias}__${q.alias}_${r.property}`, true, false);
        this.notes.push(`the eager relation \`${r.property}\` is joined by every find of ${entity.name} (loadEagerRelations: false leaves it out)`);
      }
    }
    const select = options.get('select');
    if (select) q.columns = this.selectColumns(q, select);
    const where = options.get('where');
    if (where) {
      const e = unwrap(where);
      const cond = ts.isArrayLiteralExpression(e) ? or(e.elements.map((x) => and(this.whereObject(q, x)))) : and(this.whereObject(q, e));
      if (cond !== 'true') q.where.push(cond);
    }
    const order = options.get('order');
    if (order) this.order(q, order);
    // LIMIT comes before OFFSET in the text, and placeholders are numbered in text order.
    if (method.startsWith('findOne')) q.take = '1';
    else if (options.has('take')) q.take = valueSql(codeValue(options.get('take')!), this.params);
    if (options.has('skip')) q.skip = valueSql(codeValue(options.get('skip')!), this.params);

    if (method.startsWith('count')) return this.countSql(q);
    const sql = this.selectSql(q);
    if (method.startsWith('findAndCount')) this.notes.push(`findAndCount runs a second query for the total: ${this.countSql({ ...q, take: undefined, skip: undefined })}`);
    return sql;
  }

  /** The entity a call is on (`repo.find(…)`, or an EntityManager's `manager.find(Post, …)`) and the arguments after it. */
  private callTarget(call: ts.CallExpression): { entity: TypeormEntity; args: ts.Expression[]; managerStyle: boolean } {
    const receiver = (call.expression as ts.PropertyAccessExpression).expression;
    const first = call.arguments[0] && unwrap(call.arguments[0]);
    const managerStyle = !!first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text) && !findDeclaration(first);
    const entityName = managerStyle ? (first as ts.Identifier).text : repositoryEntity(receiver) ?? this.fail(`which entity \`${oneLine(receiver.getText())}\` is a repository of is not known here (use dataSource.getRepository(Entity), @InjectRepository(Entity) or Repository<Entity>)`);
    return { entity: this.entity(entityName), args: call.arguments.slice(managerStyle ? 1 : 0), managerStyle };
  }

  /**
   * `repo.insert(values)`, `repo.save(values)` of a new entity and `repo.upsert(values, conflictPaths)`
   * as TypeORM writes them for PostgreSQL (checked against its logged SQL): every column but an
   * increment key, DEFAULT where a row gives no value, 1 for a @VersionColumn, the join column of a
   * relation last; RETURNING the generated key and the columns the database fills (defaults, dates,
   * version). Values may be a `repo.create({…})` assigned to a const. A save of a row with its key
   * is refused: TypeORM reads the row first, then updates or inserts it.
   */
  private insert(call: ts.CallExpression, method: string): string {
    const { entity, args } = this.callTarget(call);
    const [valuesArg, conflict] = args;
    const given = this.createdValues(valuesArg ?? this.fail(`\`${method}\` without values`), method);
    const items = ts.isArrayLiteralExpression(given) ? [...given.elements] : [given];
    if (items.some(ts.isSpreadElement)) this.fail(`a spread in the rows of ${method} is not translated`);
    if (items.length === 0) this.fail(`${method} of no rows sends no query`);
    const rows = items.map((item) => objectEntries(this.createdValues(item, method), 'a row', this.notes, this.fail));
    const pk = this.entities.primary(entity);
    if (method === 'save') {
      if (pk && rows.some((r) => r.has(pk.property))) this.fail(`save of a row with its key (\`${pk.property}\`): TypeORM first SELECTs the row by its key, then UPDATEs or INSERTs it`);
      this.notes.push('save of a new entity: TypeORM runs this INSERT in a transaction of its own (START TRANSACTION … COMMIT)');
    }
    for (const r of rows) {
      for (const key of r.keys()) {
        if (!entity.columns.some((c) => c.property === key)) this.fail(`\`${key}\` is not a column of entity ${entity.name}${entity.relations.some((x) => x.property === key) ? ' (a relation without a join column here: its rows are other statements)' : ''}`);
      }
    }
    const columns = entity.columns.filter((c) => !(c.primary && c.generated === 'increment'));
    const dropped = entity.columns.find((c) => c.primary && c.generated === 'increment' && rows.some((r) => r.has(c.property)));
    if (dropped) this.notes.push(`\`${dropped.property}\` is an increment key: TypeORM leaves the value given out of the INSERT, and the database numbers the row${method === 'upsert' ? ` (so the row never conflicts on ${dropped.property}: it is inserted anew)` : ''}`);
    const tuples = rows.map((r) => columns.map((c) => {
      const v = r.get(c.property);
      if (v === undefined) return c.version ? '1' : 'DEFAULT';
      return c.relation ? this.relationKey(entity, c, v) : valueSql(codeValue(unwrap(v)), this.params);
    }));
    let sql = `INSERT INTO ${quoteName(entity.table)}(${columns.map((c) => quoteName(c.column)).join(', ')}) VALUES ${tuples.map((t) => `(${t.join(', ')})`).join(', ')}`;
    if (method === 'upsert') {
      const paths = this.conflictPaths(conflict ?? this.fail('upsert without its conflict paths'));
      // Every column the row gives, an increment key left out of the INSERT included (as TypeORM writes it).
      const set = entity.columns.filter((c) => rows[0].has(c.property)).map((c) => `${quoteName(c.column)} = EXCLUDED.${quoteName(c.column)}`);
      for (const c of columns) if (c.updateDate) set.push(`${quoteName(c.column)} = DEFAULT`);
      sql += ` ON CONFLICT ( ${paths.map((p) => quoteName(this.columnOf(entity, p, 'a conflict path'))).join(', ')} ) DO UPDATE SET ${set.join(', ')}`;
    }
    const returned = entity.columns.filter((c) => (c.primary && c.generated) || (!c.primary && (c.sqlDefault !== undefined || c.sqlDefaultExpression !== undefined || c.createDate || c.updateDate || c.deleteDate || c.version)));
    const ordered = [...returned.filter((c) => c.primary), ...returned.filter((c) => !c.primary)];
    if (ordered.length) sql += ` RETURNING ${ordered.map((c) => quoteName(c.column)).join(', ')}`;
    return sql;
  }

  /** The values of a row: an object literal, or a const assigned `repo.create({…})` / `manager.create(Entity, {…})`. */
  private createdValues(expr: ts.Expression, method: string): ts.Expression {
    const e = unwrap(expr);
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) return e;
    const decl = ts.isIdentifier(e) ? findDeclaration(e) : undefined;
    const init = decl && ts.isVariableDeclaration(decl) && decl.parent.flags & ts.NodeFlags.Const ? decl.initializer && unwrap(decl.initializer) : undefined;
    if (init && ts.isCallExpression(init) && methodOf(init) === 'create') {
      const values = init.arguments[init.arguments.length - 1];
      if (values && ts.isObjectLiteralExpression(unwrap(values))) return unwrap(values);
    }
    return this.fail(`the values of ${method} are known only at run time (\`${oneLine(expr.getText())}\`): Explain a call with them written out`);
  }

  /** A relation's join column in a row: `author: { id: 5 }` is 5, `author: user` the key of `user`. */
  private relationKey(entity: TypeormEntity, c: TypeormColumn, value: ts.Expression): string {
    const rel = entity.relations.find((r) => r.property === c.relation)!;
    const target = rel.target === entity.name ? entity : this.entity(rel.target, entity.file);
    const referenced = rel.joinColumn?.referenced ?? this.entities.primary(target)?.property ?? 'id';
    const v = unwrap(value);
    if (ts.isObjectLiteralExpression(v)) {
      const key = objectEntries(v, `\`${c.relation}\``, this.notes, this.fail).get(referenced) ?? this.fail(`\`${c.relation}\` without its \`${referenced}\``);
      return valueSql(codeValue(unwrap(key)), this.params);
    }
    return valueSql({ expression: `${oneLine(value.getText())}.${referenced}` }, this.params);
  }

  /** upsert's conflict paths: `['email']` or `{ conflictPaths: ['email'] }`. */
  private conflictPaths(expr: ts.Expression): string[] {
    let e = unwrap(expr);
    if (ts.isObjectLiteralExpression(e)) {
      const o = objectEntries(e, 'the upsert options', this.notes, this.fail);
      for (const k of o.keys()) if (k !== 'conflictPaths') this.fail(`the upsert option \`${k}\` is not translated`);
      e = unwrap(o.get('conflictPaths') ?? this.fail('upsert options without conflictPaths'));
    }
    const items = ts.isArrayLiteralExpression(e) ? [...e.elements] : [e];
    return items.map((x) => {
      const v = codeValue(x);
      return 'literal' in v && typeof v.literal === 'string' ? v.literal : this.fail('a conflict path known only at run time is not translated');
    });
  }

  /**
   * `repo.update(criteria, partial)`, `repo.increment(criteria, 'views', 1)`/`decrement` and
   * `repo.delete(criteria)` as TypeORM writes them: no alias,
   * `@UpdateDateColumn` set to CURRENT_TIMESTAMP; criteria are a where object, an id, or a list of ids.
   */
  private write(call: ts.CallExpression, method: string): string {
    const { entity, args, managerStyle } = this.callTarget(call);
    const [criteria, partial] = args;
    if (!criteria) this.fail(`\`${method}\` without criteria`);
    const table = quoteName(entity.table);
    const set: string[] = [];
    if (method === 'update') {
      for (const [key, value] of objectEntries(partial ?? this.fail('`update` without the values to set'), 'the values', this.notes, this.fail)) {
        const v = unwrap(value);
        if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) this.fail(`\`${key}: () => …\` (raw SQL) is not translated`);
        set.push(`${quoteName(this.columnOf(entity, key, 'setting'))} = ${valueSql(codeValue(v), this.params)}`);
      }
      if (set.length === 0) this.fail('`update` with nothing to set');
    }
    if (method === 'increment' || method === 'decrement') {
      // increment(criteria, 'views', 1): "views" = "views" + 1, through an update query builder (which sets @UpdateDateColumn too).
      const property = partial && codeValue(unwrap(partial));
      if (!property || !('literal' in property) || typeof property.literal !== 'string') this.fail(`\`${method}\` without the property written out`);
      const by = call.arguments[managerStyle ? 3 : 2] ?? this.fail(`\`${method}\` without the amount`);
      const c = quoteName(this.columnOf(entity, (property as { literal: string }).literal, 'setting'));
      set.push(`${c} = ${c} ${method === 'increment' ? '+' : '-'} ${valueSql(codeValue(unwrap(by)), this.params)}`);
    }
    for (const c of entity.columns) if (c.updateDate && method !== 'delete' && !set.some((x) => x.startsWith(`${quoteName(c.column)} =`))) set.push(`${quoteName(c.column)} = CURRENT_TIMESTAMP`);
    const q: Query = { entity, alias: entity.table, joins: [], where: [], orderBy: [], orderColumns: [], withDeleted: true };
    const e = unwrap(criteria);
    let where: string;
    if (ts.isObjectLiteralExpression(e)) where = and(this.whereObject(q, e));
    else {
      const pk = this.entities.primary(entity) ?? this.fail(`${entity.name} has no primary column`);
      const ids = ts.isArrayLiteralExpression(e) ? [...e.elements] : [e];
      where = `${column(entity.table, pk.column)} IN (${ids.map((x) => valueSql(codeValue(x), this.params)).join(', ')})`;
    }
    if (where === 'true') this.fail(`\`${method}\` with empty criteria (TypeORM refuses it)`);
    return method === 'delete' ? `DELETE FROM ${table} WHERE ${where}` : `UPDATE ${table} SET ${set.join(', ')} WHERE ${where}`;
  }

  private relationNames(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    const names: string[] = [];
    if (ts.isArrayLiteralExpression(e)) {
      for (const x of e.elements) {
        const v = codeValue(x);
        if (!('literal' in v) || typeof v.literal !== 'string') this.fail('a relation known only at run time is not translated');
        names.push((v as { literal: string }).literal);
      }
    } else {
      for (const [name, value] of objectEntries(e, '`relations`', this.notes, this.fail)) {
        const v = unwrap(value);
        if (ts.isObjectLiteralExpression(v)) this.fail(`the nested relations of \`${name}\` are not translated`);
        if (v.kind !== ts.SyntaxKind.FalseKeyword) names.push(name);
      }
    }
    for (const n of names) if (n.includes('.')) this.fail(`the nested relation \`${n}\` is not translated`);
    return names;
  }

  private join(q: Query, property: string, alias: string, select: boolean, inner: boolean, condition?: string): Join {
    const relation = q.entity.relations.find((r) => r.property === property) ?? this.fail(`\`${property}\` is not a relation of entity ${q.entity.name}`);
    const j: Join = { relation, alias, target: this.entity(relation.target, q.entity.file), select, inner, condition };
    if (relation.kind === 'many-to-many') this.fail(`the many-to-many relation \`${property}\` is not translated`);
    q.joins.push(j);
    return j;
  }

  private joinSql(q: Query, j: Join): string {
    const r = j.relation;
    let on: string;
    if (r.joinColumn) {
      const ref = r.joinColumn.referenced ? this.columnOf(j.target, r.joinColumn.referenced, 'a join') : (this.entities.primary(j.target) ?? this.fail(`${j.target.name} has no primary column`)).column;
      on = `${column(j.alias, ref)}=${column(q.alias, r.joinColumn.column)}`;
    } else {
      // The inverse side: the target's many-to-one (or owning one-to-one) back to this entity holds the column.
      const owner = j.target.relations.find((x) => x.joinColumn && x.target === q.entity.name && (!r.inverse || x.property === r.inverse)) ?? this.fail(`the relation \`${r.property}\` has no join column on ${j.target.name}`);
      const ref = owner.joinColumn!.referenced ? this.columnOf(q.entity, owner.joinColumn!.referenced, 'a join') : (this.entities.primary(q.entity) ?? this.fail(`${q.entity.name} has no primary column`)).column;
      on = `${column(j.alias, owner.joinColumn!.column)}=${column(q.alias, ref)}`;
    }
    const deleted = j.target.columns.find((c) => c.deleteDate);
    const extra = [j.condition, deleted && !q.withDeleted ? `${column(j.alias, deleted.column)} IS NULL` : undefined].filter((x): x is string => !!x);
    const cond = extra.length > 0 ? `${on} AND (${extra.join(') AND (')})` : on;
    return `${j.inner ? 'INNER' : 'LEFT'} JOIN ${quoteName(j.target.table)} ${quoteName(j.alias)} ON ${cond}`;
  }

  private selectColumns(q: Query, expr: ts.Expression): string[] {
    const e = unwrap(expr);
    const props: string[] = [];
    if (ts.isArrayLiteralExpression(e)) {
      for (const x of e.elements) {
        const v = codeValue(x);
        if (!('literal' in v) || typeof v.literal !== 'string') this.fail('a selected column known only at run time is not translated');
        props.push((v as { literal: string }).literal);
      }
    } else {
      for (const [name, value] of objectEntries(e, '`select`', this.notes, this.fail)) {
        const v = unwrap(value);
        if (ts.isObjectLiteralExpression(v)) this.fail(`selecting columns of the relation \`${name}\` is not translated`);
        if (v.kind !== ts.SyntaxKind.FalseKeyword) props.push(name);
      }
    }
    const cols = props.map((p) => column(q.alias, this.columnOf(q.entity, p, 'selecting')));
    const pk = this.pk(q);
    if (!cols.includes(pk)) {
      cols.unshift(pk);
      this.notes.push(`TypeORM adds the primary column ${pk} to a partial select (it needs it to build entities)`);
    }
    for (const j of q.joins) if (j.select) cols.push(...this.allColumns(j.target, j.alias));
    return cols;
  }

  private allColumns(e: TypeormEntity, alias: string): string[] {
    return e.columns.filter((c) => !c.hidden).map((c) => column(alias, c.column));
  }

  /** A `where` object: each property a condition on a column, ANDed. */
  private whereObject(q: Query, expr: ts.Expression): string[] {
    const out: string[] = [];
    for (const [key, value] of objectEntries(expr, '`where`', this.notes, this.fail)) {
      const target = column(q.alias, this.columnOf(q.entity, key, 'filtering'));
      const cond = this.condition(target, key, value);
      if (cond) out.push(cond);
    }
    return out;
  }

  /** One column's condition: a value or a find operator (`In([…])`, `Not(IsNull())`); undefined when TypeORM drops it. */
  private condition(target: string, key: string, value: ts.Expression): string | undefined {
    const e = unwrap(value);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^[A-Z]/.test(e.expression.text)) return this.operator(target, e);
    if (ts.isObjectLiteralExpression(e)) this.fail(`the nested condition on \`${key}\` is not translated`);
    if (ts.isIdentifier(e) && e.text === 'undefined') {
      this.notes.push(`\`${key}: undefined\` is left out: TypeORM ignores undefined in where (use IsNull() for IS NULL)`);
      return undefined;
    }
    const v = codeValue(e);
    if ('literal' in v && v.literal === null) {
      this.notes.push(`\`${key}: null\` is left out: TypeORM ignores null in where by default (use IsNull() for IS NULL)`);
      return undefined;
    }
    if ('expression' in v) this.notes.push(`if \`${v.expression}\` is null or undefined at run time, TypeORM leaves the ${key} condition out and the query reads every row`);
    return `${target} = ${valueSql(v, this.params)}`;
  }

  private operator(target: string, call: ts.CallExpression): string {
    const name = (call.expression as ts.Identifier).text;
    const args = call.arguments;
    const value = (i: number): string => valueSql(codeValue(args[i] ?? this.fail(`\`${name}()\` without a value is not translated`)), this.params);
    if (COMPARISONS[name]) return `${target} ${COMPARISONS[name]} ${value(0)}`;
    switch (name) {
      case 'IsNull':
        return `${target} IS NULL`;
      case 'Between':
        return `${target} BETWEEN ${value(0)} AND ${value(1)}`;
      case 'Not': {
        const inner = args[0] && unwrap(args[0]);
        if (inner && ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && /^[A-Z]/.test(inner.expression.text)) return not(this.operator(target, inner));
        return `${target} != ${value(0)}`;
      }
      case 'In': {
        const list = args[0] && unwrap(args[0]);
        if (list && ts.isArrayLiteralExpression(list)) {
          if (list.elements.some(ts.isSpreadElement)) this.fail('a spread in `In([…])` is not translated');
          // TypeORM writes an empty In as a condition no row meets.
          return list.elements.length === 0 ? '0=1' : `${target} IN (${list.elements.map((x) => valueSql(codeValue(x), this.params)).join(', ')})`;
        }
        const p = this.params.add(oneLine((args[0] ?? this.fail('`In()` without a list is not translated')).getText()));
        this.notes.push(`${p} is the whole list: TypeORM sends IN ($1, $2, …) with one parameter per element`);
        return `${target} = ANY(${p})`;
      }
      default:
        return this.fail(`the find operator \`${name}()\` is not translated (Equal, Not, In, LessThan(OrEqual), MoreThan(OrEqual), Like, ILike, Between and IsNull are)`);
    }
  }

  private order(q: Query, expr: ts.Expression): void {
    for (const [name, value] of objectEntries(expr, '`order`', this.notes, this.fail)) {
      const v = unwrap(value);
      const col = column(q.alias, this.columnOf(q.entity, name, 'ordering'));
      let direction: CodeValue = codeValue(v);
      let nulls: CodeValue | undefined;
      if (ts.isObjectLiteralExpression(v)) {
        const o = objectEntries(v, '`order`', this.notes, this.fail);
        if (!o.has('direction') && !o.has('nulls')) this.fail(`ordering by the relation \`${name}\` is not translated`);
        direction = o.has('direction') ? codeValue(o.get('direction')!) : { literal: 'ASC' };
        nulls = o.has('nulls') ? codeValue(o.get('nulls')!) : undefined;
      }
      if (!('literal' in direction) || (nulls && !('literal' in nulls))) this.fail('an ordering known only at run time is not translated');
      const d = String((direction as { literal: unknown }).literal).toUpperCase();
      const dir = d === 'DESC' || d === 'DESCENDING' || d === '-1' ? 'DESC' : d === 'ASC' || d === 'ASCENDING' || d === '1' ? 'ASC' : this.fail(`the ordering direction \`${d}\` is not translated`);
      const n = nulls ? ` NULLS ${String((nulls as { literal: unknown }).literal).toUpperCase()}` : '';
      q.orderBy.push(`${col} ${dir}${n}`);
      q.orderColumns.push(col);
    }
  }

  // ---- rendering ----

  private from(q: Query): string {
    return `${quoteName(q.entity.table)} ${quoteName(q.alias)}${q.joins.map((j) => ` ${this.joinSql(q, j)}`).join('')}`;
  }

  private whereWithDeleted(q: Query): string[] {
    const deleted = q.entity.columns.find((c) => c.deleteDate);
    if (!deleted || q.withDeleted) return q.where;
    this.notes.push(`${q.entity.name} has a @DeleteDateColumn: TypeORM reads only rows where ${deleted.property} IS NULL (withDeleted: true reads all)`);
    const user = and(q.where);
    return [...(q.where.length > 0 ? [q.where.length === 1 && /\b(AND|OR)\b/.test(user) ? `(${user})` : user] : []), `${column(q.alias, deleted.column)} IS NULL`];
  }

  private countSql(q: Query): string {
    return renderSelect({ columns: [`COUNT(DISTINCT(${this.pk(q)})) AS "cnt"`], from: this.from(q), where: this.whereWithDeleted(q) });
  }

  private selectSql(q: Query): string {
    const columns = q.columns ?? [...this.allColumns(q.entity, q.alias), ...q.joins.filter((j) => j.select).flatMap((j) => this.allColumns(j.target, j.alias))];
    const where = this.whereWithDeleted(q);
    const paged = q.take !== undefined || q.skip !== undefined;
    if (paged && q.joins.length > 0) {
      // Joined rows would break LIMIT: TypeORM first selects the page's distinct ids, then the rows.
      const pk = this.pk(q);
      const distinct = [pk, ...q.orderColumns.filter((c) => c !== pk)];
      const rows = renderSelect({ columns, from: this.from(q), where: [...where, `${pk} IN (…)`], orderBy: q.orderBy });
      this.notes.push(`with joins, skip/take page the ${q.entity.name} ids first; TypeORM then runs ${rows} with the ids of the page`);
      return `SELECT DISTINCT ${distinct.join(', ')} FROM ${this.from(q)}${where.length > 0 ? ` WHERE ${and(where)}` : ''}${q.orderBy.length > 0 ? ` ORDER BY ${q.orderBy.join(', ')}` : ''}${q.take !== undefined ? ` LIMIT ${q.take}` : ''}${q.skip !== undefined ? ` OFFSET ${q.skip}` : ''}`;
    }
    return renderSelect({ columns, from: this.from(q), where, orderBy: q.orderBy, limit: q.take ?? q.limit, offset: q.skip ?? q.offset });
  }

  // ---- query builder ----

  queryBuilder(chain: ts.CallExpression[], builder: ts.CallExpression): string {
    const receiver = (builder.expression as ts.PropertyAccessExpression).expression;
    const a0 = builder.arguments[0] && unwrap(builder.arguments[0]);
    const rest = chain.slice(chain.indexOf(builder) + 1);
    // A write names its entity in `.update(Post)` or `.delete().from(Post)`.
    const writeEntity = rest.map((c) => (/^(update|from)$/.test(methodOf(c) ?? '') && c.arguments[0] ? unwrap(c.arguments[0]) : undefined)).find((e): e is ts.Identifier => !!e && ts.isIdentifier(e) && /^[A-Z]/.test(e.text));
    let entityName: string | undefined;
    let aliasArg: ts.Expression | undefined;
    if (a0 && ts.isIdentifier(a0) && /^[A-Z]/.test(a0.text)) {
      entityName = a0.text; // `dataSource.createQueryBuilder(Post, 'p')`
      aliasArg = builder.arguments[1];
    } else if (writeEntity && !repositoryEntity(receiver)) {
      entityName = writeEntity.text; // `dataSource.createQueryBuilder().update(Post)`
      aliasArg = builder.arguments[0];
    } else {
      entityName = repositoryEntity(receiver) ?? this.fail(`which entity \`${oneLine(receiver.getText())}\` builds queries for is not known here (\`.from()\` is not translated)`);
      aliasArg = builder.arguments[0];
    }
    const entity = this.entity(entityName);
    const alias = aliasArg ? stringOf(aliasArg) ?? this.fail('an alias known only at run time is not translated') : entity.name;
    const q: Query = { entity, alias, joins: [], where: [], orderBy: [], orderColumns: [], withDeleted: false };
    const aliases = new Map<string, TypeormEntity>([[alias, entity]]);
    const parameters = new Map<string, ts.Expression>();
    const wheres: Array<{ type: 'and' | 'or'; text: string }> = [];
    const conditions: Array<{ type: 'and' | 'or'; text: string; args: readonly ts.Expression[] }> = [];
    const selects: string[] = [];
    const paging = new Map<string, ts.Expression | undefined>();
    let terminal: string | undefined;
    let write: 'update' | 'delete' | undefined;
    const set: Array<[string, ts.Expression]> = [];
    for (const c of rest) {
      const m = methodOf(c) ?? '';
      const args = c.arguments;
      switch (m) {
        case 'update': case 'delete':
          write = m;
          break;
        case 'from':
          if (!write) this.fail('`.from()` is not translated');
          break;
        case 'set':
          for (const [k, v] of objectEntries(args[0] ?? this.fail('`.set()` without values'), '`.set()`', this.notes, this.fail)) {
            if (ts.isArrowFunction(unwrap(v)) || ts.isFunctionExpression(unwrap(v))) this.fail(`\`${k}: () => …\` (raw SQL) is not translated`);
            set.push([this.columnOf(entity, k, 'setting'), v]);
          }
          break;
        case 'execute':
          terminal = m;
          break;
        case 'where': case 'andWhere': case 'orWhere': {
          if (m === 'where') conditions.length = 0;
          const arg = args[0] ? unwrap(args[0]) : this.fail('`.where()` without a condition is not translated');
          if (ts.isObjectLiteralExpression(arg)) conditions.push({ type: m === 'orWhere' ? 'or' : 'and', text: `\0${and(this.whereObject(q, arg))}`, args: [] });
          else {
            const text = stringOf(arg) ?? this.fail(`the condition \`${oneLine(arg.getText())}\` is not a string (Brackets and callbacks are not translated)`);
            conditions.push({ type: m === 'orWhere' ? 'or' : 'and', text, args });
          }
          if (args[1]) for (const [k, v] of objectEntries(args[1], 'the parameters', this.notes, this.fail)) parameters.set(k, v);
          break;
        }
        case 'setParameter':
          parameters.set(stringOf(args[0]) ?? this.fail('a parameter name known only at run time is not translated'), args[1]);
          break;
        case 'setParameters':
          for (const [k, v] of objectEntries(args[0], 'the parameters', this.notes, this.fail)) parameters.set(k, v);
          break;
        case 'orderBy': case 'addOrderBy': {
          if (m === 'orderBy') {
            q.orderBy = [];
            q.orderColumns = [];
          }
          const sort = args[0] ? stringOf(args[0]) ?? this.fail('an ordering known only at run time is not translated') : undefined;
          if (!sort) break;
          const dir = args[1] ? stringOf(args[1]) ?? this.fail('an ordering direction known only at run time is not translated') : 'ASC';
          const nulls = args[2] ? stringOf(args[2]) ?? this.fail('a nulls ordering known only at run time is not translated') : undefined;
          const col = this.replaceProperties(sort, aliases);
          q.orderBy.push(`${col} ${dir.toUpperCase()}${nulls ? ` ${nulls.toUpperCase()}` : ''}`);
          q.orderColumns.push(col);
          break;
        }
        case 'skip': case 'take': case 'limit': case 'offset':
          paging.set(m, args[0]);
          break;
        case 'leftJoinAndSelect': case 'innerJoinAndSelect': case 'leftJoin': case 'innerJoin': {
          const path = args[0] ? stringOf(args[0]) : undefined;
          const joinAlias = args[1] ? stringOf(args[1]) : undefined;
          const match = path && /^(\w+)\.(\w+)$/.exec(path);
          if (!match || !joinAlias || match[1] !== alias) this.fail(`\`.${m}(${oneLine(args.map((x) => x.getText()).join(', '))})\` is not translated (joins of \`${alias}.<relation>\` are)`);
          const j = this.join(q, match![2], joinAlias!, m.endsWith('AndSelect'), m.startsWith('inner'));
          aliases.set(joinAlias!, j.target);
          if (args[2]) {
            const text = stringOf(args[2]) ?? this.fail('a join condition that is not a string is not translated');
            if (args[3]) for (const [k, v] of objectEntries(args[3], 'the parameters', this.notes, this.fail)) parameters.set(k, v);
            conditions.push({ type: 'and', text: `\u0001${joinAlias}\u0001${text}`, args: [] });
          }
          break;
        }
        case 'select': case 'addSelect': {
          if (m === 'select') selects.length = 0;
          const a = args[0] && unwrap(args[0]);
          const items = a && ts.isArrayLiteralExpression(a) ? a.elements : a ? [a] : [];
          for (const x of items) selects.push(stringOf(x) ?? this.fail('a selection known only at run time is not translated'));
          break;
        }
        case 'withDeleted':
          q.withDeleted = true;
          break;
        default:
          if (TERMINALS.has(m)) terminal = m;
          else this.fail(`\`.${m}()\` in a query builder is not translated`);
      }
    }
    if (write) return this.builderWrite(q, write, set, conditions, parameters, aliases);
    if (!terminal || terminal === 'execute') {
      terminal = 'getMany';
      this.notes.push('the chain does not end in getMany()/getOne() here: translated as getMany()');
    }
    // Conditions now that every parameter and alias is known. Join conditions go to their join's ON.
    for (const c of conditions.filter((x) => x.text.startsWith('\u0001'))) {
      const [, joinAlias, text] = c.text.split('\u0001');
      q.joins.find((j) => j.alias === joinAlias)!.condition = this.replaceParameters(this.replaceProperties(text, aliases), parameters);
    }
    for (const c of conditions.filter((x) => !x.text.startsWith('\u0001'))) {
      wheres.push({ type: c.type, text: c.text.startsWith('\0') ? c.text.slice(1) : this.replaceParameters(this.replaceProperties(c.text, aliases), parameters) });
    }
    // TypeORM joins where/andWhere/orWhere in order, without brackets: `a AND b OR c` (use Brackets to group).
    if (wheres.length > 0) {
      const text = wheres.map((w, i) => (i === 0 ? w.text : `${w.type === 'and' ? 'AND' : 'OR'} ${w.text}`)).join(' ');
      q.where.push(text);
    }
    if (selects.length > 0) q.columns = this.builderSelection(q, selects, aliases, terminal.startsWith('getRaw'));
    // Placeholders in text order: LIMIT before OFFSET.
    const page = (m: string): string | undefined => {
      const v = paging.get(m);
      return v ? valueSql(codeValue(v), this.params) : undefined;
    };
    q.take = page('take');
    q.limit = page('limit');
    q.skip = page('skip');
    q.offset = page('offset');
    if (terminal === 'getCount') return this.countSql(q);
    if (terminal === 'getOne' || terminal === 'getOneOrFail') {
      if (q.take === undefined && q.limit === undefined) this.notes.push('getOne() sends no LIMIT: every matching row is read and the first one kept; add .take(1) (or use findOne, which does)');
    }
    if (terminal.startsWith('getRaw') && (q.take !== undefined || q.skip !== undefined)) {
      // Raw results are not entities: skip/take stay plain LIMIT/OFFSET.
      q.limit = q.take ?? q.limit;
      q.offset = q.skip ?? q.offset;
      q.take = undefined;
      q.skip = undefined;
    }
    if (q.joins.length > 0 && (q.limit !== undefined || q.offset !== undefined)) this.notes.push('limit/offset apply to the joined rows, not to entities (skip/take page entities)');
    const sql = this.selectSql(q);
    if (terminal === 'getManyAndCount') this.notes.push(`getManyAndCount runs a second query for the total: ${this.countSql({ ...q, take: undefined, skip: undefined })}`);
    return sql;
  }

  /**
   * `createQueryBuilder().update(Post).set({…}).where(…)` and `.delete().from(Post).where(…)`: the
   * table keeps the builder's alias (PostgreSQL takes one in UPDATE and DELETE), so the conditions
   * read as they do in a select; `@UpdateDateColumn` is set as TypeORM does.
   */
  private builderWrite(q: Query, write: 'update' | 'delete', set: Array<[string, ts.Expression]>, conditions: ReadonlyArray<{ type: 'and' | 'or'; text: string }>, parameters: Map<string, ts.Expression>, aliases: Map<string, TypeormEntity>): string {
    if (q.joins.length || q.orderBy.length) this.fail(`joins or ordering in a query builder's ${write} are not translated`);
    if (write === 'update' && set.length === 0) this.fail('`.update()` without `.set()`');
    // Placeholders in text order: the assignments, then the conditions.
    const assignments = set.map(([c, v]) => `${quoteName(c)} = ${valueSql(codeValue(v), this.params)}`);
    for (const c of q.entity.columns) if (write === 'update' && c.updateDate && !set.some(([x]) => x === c.column)) assignments.push(`${quoteName(c.column)} = CURRENT_TIMESTAMP`);
    const where = conditions.map((c, i) => {
      const text = c.text.startsWith('\0') ? c.text.slice(1) : this.replaceParameters(this.replaceProperties(c.text, aliases), parameters);
      return i === 0 ? text : `${c.type === 'and' ? 'AND' : 'OR'} ${text}`;
    }).join(' ');
    const target = `${quoteName(q.entity.table)} ${quoteName(q.alias)}`;
    const head = write === 'update' ? `UPDATE ${target} SET ${assignments.join(', ')}` : `DELETE FROM ${target}`;
    return where ? `${head} WHERE ${where}` : head;
  }

  private builderSelection(q: Query, selects: string[], aliases: Map<string, TypeormEntity>, raw: boolean): string[] {
    const cols: string[] = [];
    for (const s of selects) {
      const entity = aliases.get(s);
      if (entity) cols.push(...this.allColumns(entity, s));
      else if (/^\w+\.\w+$/.test(s)) cols.push(this.replaceProperties(s, aliases));
      else this.fail(`the selection \`${s}\` is not translated`);
    }
    const pk = this.pk(q);
    if (!raw && !cols.includes(pk)) {
      cols.unshift(pk);
      this.notes.push(`TypeORM adds the primary column ${pk} to a partial select (it needs it to build entities)`);
    }
    return cols;
  }

  /** `p.authorId` → `"p"."author_id"` for aliases of the query; strings and other text stay as written. */
  private replaceProperties(text: string, aliases: Map<string, TypeormEntity>): string {
    return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b/g, (m, a: string | undefined, p: string | undefined) => {
      if (!a || !p) return m;
      const e = aliases.get(a);
      if (!e) return m;
      // TypeORM replaces property paths; a database column name written as is stays as is.
      if (!e.columns.some((c) => c.property === p && !c.relation) && e.columns.some((c) => c.column === p)) return column(a, p);
      return column(a, this.columnOf(e, p, 'a condition'));
    });
  }

  /** `:id` → its value (inlined when a literal, else `$n`); `:...ids` → a list when the array is written out. */
  private replaceParameters(text: string, parameters: Map<string, ts.Expression>): string {
    return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|::|:(\.\.\.)?([A-Za-z_]\w*)/g, (m, spread: string | undefined, name: string | undefined) => {
      if (!name) return m;
      const value = parameters.get(name) ?? this.fail(`the parameter \`:${name}\` has no value in the chain`);
      if (!spread) return valueSql(codeValue(value), this.params);
      const list = unwrap(value);
      if (!ts.isArrayLiteralExpression(list) || list.elements.some(ts.isSpreadElement)) this.fail(`the list parameter \`:...${name}\` is known only at run time (TypeORM sends one parameter per element): not translated`);
      return (list as ts.ArrayLiteralExpression).elements.map((x) => valueSql(codeValue(x), this.params)).join(', ') || 'NULL';
    });
  }
}

function stringOf(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const v = codeValue(e);
  return 'literal' in v && typeof v.literal === 'string' ? v.literal : undefined;
}
