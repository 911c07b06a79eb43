/**
 * MikroORM finds → SQL: `em.find(Book, where, options)`, `findOne`, `findOneOrFail`, `findAll`,
 * `count`, `findAndCount`, on an EntityManager or a repository (`em.getRepository(Book)`, an
 * injected or `EntityRepository<Book>`-typed property, `this` in a repository class). The where
 * object: values (an entity or its key for a relation), arrays as IN, `null`, the operators `$eq`,
 * `$ne`, `$in`, `$nin`, `$gt`, `$gte`, `$lt`, `$lte`, `$like`, `$ilike`, `$not`, and `$and`/`$or`;
 * a primary key alone (`em.findOne(Book, id)`). Options: `orderBy` (object or array, `'desc'`,
 * `QueryOrder.DESC`, `-1`), `limit`, `offset`, `fields`; `populate` of to-one relations and of
 * one-to-many ones (without a limit) as the LEFT JOINs of MikroORM's default joined strategy, other
 * populates noted. Query
 * builders (`em.createQueryBuilder(Book, 'b')`) with where objects, to-one joins, orderBy and
 * limit/offset. The native writes `nativeUpdate(where, data)` and `nativeDelete(where)`. Tables and
 * columns come from the entities (mikro-orm-entities.ts).
 */
import ts from 'typescript';
import type { TsQueryFact } from '../../languages/typescript/queries';
import { findDeclaration } from '../../languages/typescript/values';
import { MikroOrmEntities, type MikroOrmEntity } from './mikro-orm-entities';
import { repositoryEntity } from '../../languages/typescript/repositories';
import { and, column, not, or, Parameters, quoteName, renderSelect, valueSql } from './sql-builder';
import { UntranslatableCall, type OrmTranslation } from './translation';
import type { TsModules } from './typescript-modules';
import { codeValue, constantOf, objectEntries, oneLine, unwrap } from './typescript-values';

const METHODS = new Set(['find', 'findOne', 'findOneOrFail', 'findAll', 'count', 'findAndCount']);
/** Writes straight to the database, past the unit of work. */
const NATIVE_WRITES = new Set(['nativeUpdate', 'nativeDelete']);
const OPTIONS = new Set(['where', 'orderBy', 'limit', 'offset', 'fields', 'populate', 'strategy', 'cache', 'disableIdentityMap', 'refresh', 'schema', 'comments', 'hintComments', 'logging', 'lockMode', 'connectionType', 'filters']);
const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=', $like: 'LIKE', $ilike: 'ILIKE' };

export function translateMikroOrmCall(fact: TsQueryFact, modules: TsModules, file: string): OrmTranslation {
  const call = fact.call;
  const callee = oneLine(call.expression.getText());
  const fail = (what: string): never => {
    throw new UntranslatableCall(callee, what);
  };
  const entities = new MikroOrmEntities(file, modules);
  const notes: string[] = [];
  const params = new Parameters();
  /** The entities a key may name by alias (`b.title`); the root's alias is its table's name unless the builder names one. */
  const aliases = new Map<string, MikroOrmEntity>();
  let entity: MikroOrmEntity;
  const entityNamed = (name: string): MikroOrmEntity => {
    const e = entities.entity(name) ?? fail(`no MikroORM entity \`${name}\` found (looked in the workspace index, the module it is imported from and this file)`);
    return e.unsupported ? fail(e.unsupported) : e;
  };
  const builder = fact.chain?.find((c) => ts.isPropertyAccessExpression(c.expression) && c.expression.name.text === 'createQueryBuilder');
  if (builder) return queryBuilder(fact.chain!, builder);
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  if (!METHODS.has(method) && !NATIVE_WRITES.has(method)) fail(`\`${method}\` is not translated (${[...METHODS, ...NATIVE_WRITES].join(', ')} are)`);
  const receiver = (call.expression as ts.PropertyAccessExpression).expression;
  // EntityManager: `em.find(Book, …)`; a repository: `repo.find(…)`.
  const first = call.arguments[0] && unwrap(call.arguments[0]);
  const managerStyle = !!first && ts.isIdentifier(first) && /^[A-Z]/.test(first.text) && !findDeclaration(first);
  const entityName = managerStyle
    ? (first as ts.Identifier).text
    : repositoryEntity(receiver) ?? fail(`which entity \`${oneLine(receiver.getText())}\` is a repository of is not known here (use em.find(Entity, …), em.getRepository(Entity) or EntityRepository<Entity>)`);
  entity = entityNamed(entityName);
  const args = call.arguments.slice(managerStyle ? 1 : 0);
  if (NATIVE_WRITES.has(method)) return nativeWrite(method === 'nativeUpdate');
  // findAll takes its where in the options; the others take it first.
  const whereArg = method === 'findAll' ? undefined : args[0];
  const optionsArg = method === 'findAll' ? args[0] : args[1];
  const options = optionsArg ? objectEntries(optionsArg, 'the options', notes, fail) : new Map<string, ts.Expression>();
  for (const key of options.keys()) if (!OPTIONS.has(key)) fail(`the \`${key}\` option is not translated`);
  const where = whereArg ?? options.get('where');
  const conditions = where ? whereOf(where) : [];
  const table = quoteName(entity.table);
  if (method === 'count') {
    return { sql: renderSelect({ columns: ['count(*) AS "count"'], from: table, where: conditions }), description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...notes] };
  }
  const fields = options.get('fields');
  const columns = fields ? selectedColumns(fields) : entity.columns.map((c) => column(entity.table, c.column));
  const orderBy = options.get('orderBy') ? orderTerms(options.get('orderBy')!) : [];
  const limitExpr = options.get('limit');
  const offsetExpr = options.get('offset');
  let limit = limitExpr ? valueSql(codeValue(limitExpr), params) : undefined;
  const offset = offsetExpr ? valueSql(codeValue(offsetExpr), params) : undefined;
  if (method === 'findOne' || method === 'findOneOrFail') limit = '1';
  const populate = options.get('populate');
  const populated = populate ? populateJoins(populate, options.get('strategy'), limit !== undefined || offset !== undefined) : undefined;
  if (populate && populated) notes.push(`\`populate: ${oneLine(populate.getText())}\` is loaded with LEFT JOINs in the same query (MikroORM's default joined strategy)`);
  else if (populate) notes.push(`\`populate: ${oneLine(populate.getText())}\` loads the relations with more SQL (a JOIN or a query per relation, by the loading strategy); this is the main query`);
  if (method === 'findAndCount') notes.push('findAndCount also runs a count(*) with the same WHERE');
  const sql = renderSelect({ columns: [...columns, ...(populated?.columns ?? [])], from: table, joins: populated?.joins, where: conditions, orderBy, limit, offset });
  return { sql, description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...notes] };

  /**
   * `nativeUpdate(where, data)` and `nativeDelete(where)`: one UPDATE or DELETE, past the unit of
   * work (no entity is loaded). The data's placeholders come first, as the SQL text has them.
   */
  function nativeWrite(update: boolean): OrmTranslation {
    const table = quoteName(entity.table);
    const [whereArg, dataArg] = args;
    if (!whereArg) fail(`${method}() without a where`);
    let set = '';
    if (update) {
      const data = objectEntries(dataArg ?? fail('nativeUpdate() without the data to set'), 'the data', notes, fail);
      if (data.size === 0) fail('nativeUpdate() with no data');
      set = ` SET ${[...data].map(([property, value]) => {
        const c = entity.columns.find((x) => x.property === property && !x.relation) ?? entity.columns.find((x) => x.relation === property) ?? fail(`\`${property}\` is not a property of ${entity.name}`);
        return `${quoteName(c.column)} = ${valueSql(codeValue(value), params)}`;
      }).join(', ')}`;
    }
    const conditions = whereOf(whereArg);
    const sql = `${update ? `UPDATE ${table}${set}` : `DELETE FROM ${table}`}${conditions.length ? ` WHERE ${and(conditions)}` : ''}`;
    return { sql, description: `${oneLine(fact.callee)} → SQL`, notes: [...params.notes(), ...notes] };
  }

  /**
   * `populate: ['author', 'books']` as MikroORM's joined strategy writes it: a LEFT JOIN per
   * relation, to-one on the entity's join column, one-to-many on the other side's, with their
   * columns selected. Undefined (the populate is noted instead) for what it loads otherwise: nested
   * paths, `'*'`, many-to-many, the select-in strategy, a table joined twice, and a collection with
   * a limit or offset (MikroORM then pages the root rows in a subquery).
   */
  function populateJoins(populate: ts.Expression, strategy: ts.Expression | undefined, paged: boolean): { joins: string[]; columns: string[] } | undefined {
    if (strategy && !/joined/i.test(strategy.getText())) return undefined;
    const list = unwrap(populate);
    if (!ts.isArrayLiteralExpression(list)) return undefined;
    const joins: string[] = [];
    const columns: string[] = [];
    const tables = new Set([entity.table]);
    for (const el of list.elements) {
      if (!ts.isStringLiteralLike(el) || !/^\w+$/.test(el.text)) return undefined;
      const rel = entity.relations.find((r) => r.property === el.text);
      if (!rel) return fail(`\`${el.text}\` is not a relation of ${entity.name}`);
      const target = entities.entity(rel.target);
      if (!target || target.unsupported || tables.has(target.table)) return undefined;
      tables.add(target.table);
      if (rel.joinColumn) {
        const key = target.columns.find((x) => (rel.joinColumn!.referenced ? x.column === rel.joinColumn!.referenced : x.primary));
        if (!key) return undefined;
        joins.push(`LEFT JOIN ${quoteName(target.table)} ON ${column(target.table, key.column)} = ${column(entity.table, rel.joinColumn.column)}`);
      } else if (rel.kind === 'one-to-many' && rel.inverse && !paged) {
        const back = target.relations.find((r) => r.property === rel.inverse && r.joinColumn);
        const key = back && entity.columns.find((x) => (back.joinColumn!.referenced ? x.column === back.joinColumn!.referenced : x.primary));
        if (!back || !key) return undefined;
        joins.push(`LEFT JOIN ${quoteName(target.table)} ON ${column(target.table, back.joinColumn!.column)} = ${column(entity.table, key.column)}`);
      } else return undefined;
      columns.push(...target.columns.map((x) => column(target.table, x.column)));
    }
    return { joins, columns };
  }

  function propertyColumn(e: MikroOrmEntity, property: string): string {
    const c = e.columns.find((x) => x.property === property && !x.relation) ?? e.columns.find((x) => x.relation === property) ?? e.columns.find((x) => x.column === property);
    if (c) return column(e.table, c.column);
    if (e.relations.some((r) => r.property === property)) fail(`\`${property}\` of ${e.name} is a collection: conditions on it are not translated`);
    return fail(`\`${property}\` is not a property of ${e.name}`);
  }

  /**
   * `em.createQueryBuilder(Book, 'b')` (or a repository's `createQueryBuilder('b')`) with select,
   * where/andWhere/orWhere (where objects), joins of to-one relations (`leftJoinAndSelect('b.author',
   * 'a')`), orderBy, limit/offset, and getResultList/getResult/getSingleResult/getCount/execute.
   */
  function queryBuilder(chain: ts.CallExpression[], start: ts.CallExpression): OrmTranslation {
    const receiver = (start.expression as ts.PropertyAccessExpression).expression;
    const a0 = start.arguments[0] && unwrap(start.arguments[0]);
    const managerStyle = !!a0 && ((ts.isIdentifier(a0) && /^[A-Z]/.test(a0.text)) || (ts.isStringLiteralLike(a0) && /^[A-Z]/.test(a0.text)));
    const entityName = managerStyle ? (a0 as ts.Identifier | ts.StringLiteral).text : repositoryEntity(receiver) ?? fail(`which entity \`${oneLine(receiver.getText())}\` builds queries for is not known here`);
    entity = entityNamed(entityName);
    const aliasArg = start.arguments[managerStyle ? 1 : 0];
    const alias = aliasArg && ts.isStringLiteralLike(aliasArg) ? aliasArg.text : entity.table;
    aliases.set(alias, entity);
    let columns: string[] | undefined;
    const extra: string[] = [];
    const joins: string[] = [];
    let where: string[] = [];
    const orderBy: string[] = [];
    let limit: string | undefined;
    let offset: string | undefined;
    let count = false;
    for (const c of chain.slice(chain.indexOf(start) + 1)) {
      const m = ts.isPropertyAccessExpression(c.expression) ? c.expression.name.text : '';
      const [a, b] = c.arguments;
      switch (m) {
        case 'select':
        case 'addSelect': {
          const list = a && unwrap(a);
          const names = !list ? [] : ts.isArrayLiteralExpression(list) ? list.elements : [list];
          const cols = names.flatMap((n) => {
            const text = ts.isStringLiteralLike(n) ? n.text : fail(`the selection \`${oneLine(n.getText())}\` is not translated`);
            if (text === '*' || /\.\*$/.test(text)) {
              const owner = text === '*' ? entity : aliases.get(text.slice(0, -2)) ?? fail(`\`${text.slice(0, -2)}\` is not an alias of this query`);
              return owner.columns.map((col) => column(owner.table, col.column));
            }
            const { owner, property } = keyed(text);
            return [propertyColumn(owner, property)];
          });
          columns = m === 'select' ? cols : [...(columns ?? []), ...cols];
          break;
        }
        case 'where':
        case 'andWhere':
        case 'orWhere': {
          if (!a || !ts.isObjectLiteralExpression(unwrap(a))) fail(`\`${m}\` with raw SQL (\`${oneLine(a?.getText() ?? '')}\`) is not translated; where objects are`);
          const cond = whereOf(a);
          where = m === 'orWhere' && where.length ? [or([and(where), and(cond)])] : [...where, ...cond];
          break;
        }
        case 'join':
        case 'innerJoin':
        case 'leftJoin':
        case 'joinAndSelect':
        case 'innerJoinAndSelect':
        case 'leftJoinAndSelect': {
          const path = a && ts.isStringLiteralLike(a) ? a.text : fail(`\`${m}\` takes the relation as a string (\`'b.author'\`)`);
          const as = b && ts.isStringLiteralLike(b) ? b.text : fail(`\`${m}\` without an alias is not translated`);
          const { owner, property } = keyed(path.includes('.') ? path : `${alias}.${path}`);
          const rel = owner.relations.find((r) => r.property === property) ?? fail(`\`${property}\` is not a relation of ${owner.name}`);
          if (!rel.joinColumn) fail(`joining the to-many relation \`${property}\` is not translated`);
          const target = entityNamed(rel.target);
          const key = target.columns.find((x) => (rel.joinColumn!.referenced ? x.column === rel.joinColumn!.referenced : x.primary)) ?? fail(`${target.name} has no primary key`);
          aliases.set(as, target);
          joins.push(`${/^left/.test(m) ? 'LEFT JOIN' : 'INNER JOIN'} ${quoteName(target.table)} ON ${column(target.table, key.column)} = ${column(owner.table, rel.joinColumn!.column)}`);
          if (/AndSelect$/.test(m)) extra.push(...target.columns.map((x) => column(target.table, x.column)));
          break;
        }
        case 'orderBy':
          orderBy.push(...orderTerms(a ?? fail('orderBy() takes an object')));
          break;
        case 'limit':
          limit = a ? valueSql(codeValue(a), params) : undefined;
          if (b) offset = valueSql(codeValue(b), params);
          break;
        case 'offset':
          offset = a ? valueSql(codeValue(a), params) : undefined;
          break;
        case 'getSingleResult':
          limit ??= '1';
          break;
        case 'getCount':
        case 'count':
          count = true;
          break;
        case 'getResultAndCount':
          notes.push('getResultAndCount also runs a count(*) with the same WHERE');
          break;
        case 'getResultList':
        case 'getResult':
        case 'execute':
        case 'getKnexQuery':
          break;
        default:
          fail(`\`.${m}()\` of the query builder is not translated`);
      }
    }
    const table = quoteName(entity.table);
    const description = `${oneLine(start.expression.getText())} → SQL`;
    if (count) return { sql: renderSelect({ columns: ['count(*) AS "count"'], from: table, joins, where }), description, notes: [...params.notes(), ...notes] };
    const selected = [...(columns ?? entity.columns.map((x) => column(entity.table, x.column))), ...extra];
    return { sql: renderSelect({ columns: selected, from: table, joins, where, orderBy, limit, offset }), description, notes: [...params.notes(), ...notes] };
  }

  /** `b.title` → the entity aliased `b` and `title`; `title` → the root entity's. */
  function keyed(key: string): { owner: MikroOrmEntity; property: string } {
    const dot = key.indexOf('.');
    if (dot < 0) return { owner: entity, property: key };
    const owner = aliases.get(key.slice(0, dot)) ?? fail(`\`${key.slice(0, dot)}\` is not an alias of this query`);
    return { owner, property: key.slice(dot + 1) };
  }

  function value(v: ts.Expression): string {
    return valueSql(codeValue(v), params);
  }

  function inList(col: string, v: ts.Expression, negated: boolean): string {
    const e = unwrap(v);
    if (ts.isArrayLiteralExpression(e)) {
      if (e.elements.length === 0) return negated ? 'true' : 'false';
      return `${col} ${negated ? 'NOT IN' : 'IN'} (${e.elements.map(value).join(', ')})`;
    }
    return `${col} ${negated ? '<> ALL' : '= ANY'}(${params.add(oneLine(v.getText()))})`;
  }

  /** A property's condition: a value, an array (IN), null, or an object of operators. */
  function condition(col: string, v: ts.Expression): string[] {
    const e = unwrap(v);
    if (ts.isArrayLiteralExpression(e)) return [inList(col, e, false)];
    if (!ts.isObjectLiteralExpression(e)) {
      const c = constantOf(e);
      return [c === null ? `${col} IS NULL` : `${col} = ${value(e)}`];
    }
    const out: string[] = [];
    for (const [op, operand] of objectEntries(e, 'a condition', notes, fail)) {
      const c = constantOf(operand);
      if (op === '$in' || op === '$nin') out.push(inList(col, operand, op === '$nin'));
      else if (op === '$eq' && c === null) out.push(`${col} IS NULL`);
      else if (op === '$ne' && c === null) out.push(`${col} IS NOT NULL`);
      else if (COMPARISONS[op]) out.push(`${col} ${COMPARISONS[op]} ${value(operand)}`);
      else if (op === '$not') out.push(not(and(condition(col, operand))));
      else fail(`the operator \`${op}\` is not translated`);
    }
    return out;
  }

  function whereOf(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    // `em.findOne(Book, id)`: the primary key.
    if (!ts.isObjectLiteralExpression(e)) {
      const pk = entity.columns.find((c) => c.primary) ?? fail(`${entity.name} has no primary key`);
      return [`${column(entity.table, pk.column)} = ${value(e)}`];
    }
    const out: string[] = [];
    for (const [key, v] of objectEntries(e, 'the where object', notes, fail)) {
      if (key === '$and' || key === '$or') {
        const list = unwrap(v);
        if (!ts.isArrayLiteralExpression(list)) fail(`\`${key}\` takes an array`);
        const parts = (list as ts.ArrayLiteralExpression).elements.map((x) => and(whereOf(x)));
        out.push(key === '$and' ? and(parts) : or(parts));
      } else if (key === '$not') out.push(not(and(whereOf(v))));
      else if (key.startsWith('$')) fail(`the operator \`${key}\` is not translated`);
      else {
        // A relation compared to an entity object's properties would need a join.
        const { owner, property } = keyed(key);
        const rel = owner.relations.find((r) => r.property === property);
        const inner = unwrap(v);
        if (rel && ts.isObjectLiteralExpression(inner) && !inner.properties.some((p) => p.name && /^\$/.test(p.name.getText()))) fail(`conditions on the properties of the relation \`${key}\` are not translated`);
        out.push(...condition(propertyColumn(owner, property), v));
      }
    }
    return out;
  }

  function selectedColumns(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (!ts.isArrayLiteralExpression(e)) return fail('`fields` is not an array literal');
    const names = e.elements.map((x) => (ts.isStringLiteralLike(x) ? x.text : fail(`the field \`${oneLine(x.getText())}\` is not translated`)));
    if (names.some((n) => n.includes('.'))) fail('fields of relations are not translated');
    // MikroORM always selects the primary key.
    const pk = entity.columns.filter((c) => c.primary).map((c) => c.property);
    return [...new Set([...pk, ...names])].map((n) => propertyColumn(entity, n));
  }

  function direction(v: ts.Expression): string {
    const e = unwrap(v);
    const c = constantOf(e);
    const text = typeof c === 'string' ? c : typeof c === 'number' ? (c < 0 ? 'desc' : 'asc') : ts.isPropertyAccessExpression(e) && /^QueryOrder(Numeric)?$/.test(e.expression.getText()) ? e.name.text : undefined;
    if (!text) return fail(`the order \`${oneLine(v.getText())}\` known only at run time is not translated`);
    const m = /^(asc|desc)(?:[ _]nulls[ _](first|last))?$/i.exec(text.trim());
    if (!m) return fail(`the order \`${text}\` is not translated`);
    return `${m[1].toUpperCase()}${m[2] ? ` NULLS ${m[2].toUpperCase()}` : ''}`;
  }

  function orderTerms(expr: ts.Expression): string[] {
    const e = unwrap(expr);
    if (ts.isArrayLiteralExpression(e)) return e.elements.flatMap(orderTerms);
    const out: string[] = [];
    for (const [key, v] of objectEntries(e, 'orderBy', notes, fail)) {
      if (ts.isObjectLiteralExpression(unwrap(v))) fail(`ordering by the relation \`${key}\` is not translated`);
      const { owner, property } = keyed(key);
      out.push(`${propertyColumn(owner, property)} ${direction(v)}`);
    }
    return out;
  }
}
